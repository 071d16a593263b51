// Reading JavaScript values through N-API, and the one error type the addon throws back.
#pragma once

#include <node_api.h>
#include <tensorflow/c/c_api.h>

#include <cstdint>
#include <string>
#include <vector>

namespace graph_addon {

// An error to throw to JavaScript: the message, and a stable code.
struct Failure {
  std::string code;
  std::string message;
};

#define CHECK_NAPI(call)                                           \
  do {                                                             \
    if ((call) != napi_ok) throw Failure{"NAPI", "N-API call failed: " #call}; \
  } while (0)

// Owns a TF_Status and turns a failed one into a Failure.
class Status {
 public:
  Status() : s_(TF_NewStatus()) {}
  ~Status() { TF_DeleteStatus(s_); }
  TF_Status* get() { return s_; }
  void check(const std::string& what) {
    if (TF_GetCode(s_) != TF_OK) {
      throw Failure{"TF_" + std::to_string(TF_GetCode(s_)), what + ": " + TF_Message(s_)};
    }
  }

 private:
  TF_Status* s_;
};

// A named property of `obj`.
napi_value prop(napi_env env, napi_value obj, const char* name);
// Whether `obj` has `name` set to something other than undefined or null.
bool has(napi_env env, napi_value obj, const char* name);
std::string str(napi_env env, napi_value v);
double num(napi_env env, napi_value v);
bool boolean(napi_env env, napi_value v);
uint32_t length(napi_env env, napi_value arr);
napi_value at(napi_env env, napi_value arr, uint32_t i);
std::vector<int64_t> int64s(napi_env env, napi_value arr);
// The first `want` arguments of a call; fewer is a BAD_ARGUMENT failure.
std::vector<napi_value> args(napi_env env, napi_callback_info info, size_t want);

// The native object behind an external handle.
template <typename T>
T* unwrap(napi_env env, napi_value v, const char* what) {
  void* p = nullptr;
  if (napi_get_value_external(env, v, &p) != napi_ok || p == nullptr) {
    throw Failure{"BAD_ARGUMENT", std::string("expected a ") + what + " handle"};
  }
  return static_cast<T*>(p);
}

}  // namespace graph_addon
