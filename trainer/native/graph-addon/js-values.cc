#include "js-values.h"

namespace graph_addon {

napi_value prop(napi_env env, napi_value obj, const char* name) {
  napi_value v;
  CHECK_NAPI(napi_get_named_property(env, obj, name, &v));
  return v;
}

bool has(napi_env env, napi_value obj, const char* name) {
  bool result = false;
  CHECK_NAPI(napi_has_named_property(env, obj, name, &result));
  if (!result) return false;
  napi_valuetype t;
  CHECK_NAPI(napi_typeof(env, prop(env, obj, name), &t));
  return t != napi_undefined && t != napi_null;
}

std::string str(napi_env env, napi_value v) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, nullptr, 0, &len) != napi_ok) {
    throw Failure{"BAD_ARGUMENT", "expected a string"};
  }
  std::string s(len, '\0');
  CHECK_NAPI(napi_get_value_string_utf8(env, v, s.data(), len + 1, &len));
  return s;
}

double num(napi_env env, napi_value v) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) throw Failure{"BAD_ARGUMENT", "expected a number"};
  return d;
}

bool boolean(napi_env env, napi_value v) {
  bool b;
  if (napi_get_value_bool(env, v, &b) != napi_ok) throw Failure{"BAD_ARGUMENT", "expected a boolean"};
  return b;
}

uint32_t length(napi_env env, napi_value arr) {
  uint32_t n;
  if (napi_get_array_length(env, arr, &n) != napi_ok) throw Failure{"BAD_ARGUMENT", "expected an array"};
  return n;
}

napi_value at(napi_env env, napi_value arr, uint32_t i) {
  napi_value v;
  CHECK_NAPI(napi_get_element(env, arr, i, &v));
  return v;
}

std::vector<int64_t> int64s(napi_env env, napi_value arr) {
  std::vector<int64_t> out(length(env, arr));
  for (uint32_t i = 0; i < out.size(); ++i) out[i] = static_cast<int64_t>(num(env, at(env, arr, i)));
  return out;
}

std::vector<napi_value> args(napi_env env, napi_callback_info info, size_t want) {
  std::vector<napi_value> argv(want);
  size_t argc = want;
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv.data(), nullptr, nullptr));
  if (argc < want) throw Failure{"BAD_ARGUMENT", "expected " + std::to_string(want) + " arguments"};
  return argv;
}

}  // namespace graph_addon
