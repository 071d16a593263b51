#include "tensors.h"

#include <cstring>

namespace graph_addon {

TF_Operation* findOp(TF_Graph* g, const std::string& name) {
  TF_Operation* op = TF_GraphOperationByName(g, name.c_str());
  if (op == nullptr) throw Failure{"UNKNOWN_OP", "no operation named \"" + name + "\" in the graph"};
  return op;
}

// {op, index} -> TF_Output.
TF_Output output(napi_env env, TF_Graph* g, napi_value v) {
  TF_Operation* op = findOp(g, str(env, prop(env, v, "op")));
  int index = static_cast<int>(num(env, prop(env, v, "index")));
  if (index < 0 || index >= TF_OperationNumOutputs(op)) {
    throw Failure{"BAD_ARGUMENT", "output " + std::to_string(index) + " of \"" + TF_OperationName(op) +
                                      "\" does not exist; it has " +
                                      std::to_string(TF_OperationNumOutputs(op))};
  }
  return TF_Output{op, index};
}

std::vector<TF_Output> outputs(napi_env env, TF_Graph* g, napi_value arr) {
  std::vector<TF_Output> out(length(env, arr));
  for (uint32_t i = 0; i < out.size(); ++i) out[i] = output(env, g, at(env, arr, i));
  return out;
}

napi_value outputValue(napi_env env, TF_Output o) {
  napi_value obj, name, index;
  CHECK_NAPI(napi_create_object(env, &obj));
  CHECK_NAPI(napi_create_string_utf8(env, TF_OperationName(o.oper), NAPI_AUTO_LENGTH, &name));
  CHECK_NAPI(napi_create_int32(env, o.index, &index));
  CHECK_NAPI(napi_set_named_property(env, obj, "op", name));
  CHECK_NAPI(napi_set_named_property(env, obj, "index", index));
  return obj;
}

size_t elementSize(TF_DataType t) {
  switch (t) {
    case TF_FLOAT: case TF_INT32: return 4;
    case TF_INT64: case TF_DOUBLE: return 8;
    case TF_BOOL: case TF_UINT8: return 1;
    default: throw Failure{"BAD_ARGUMENT", "unsupported tensor dtype " + std::to_string(t)};
  }
}

// {dtype, shape, data: TypedArray} -> a new TF_Tensor (the caller owns it).
TF_Tensor* tensorFrom(napi_env env, napi_value v) {
  TF_DataType dtype = static_cast<TF_DataType>(static_cast<int>(num(env, prop(env, v, "dtype"))));
  std::vector<int64_t> dims = int64s(env, prop(env, v, "shape"));
  size_t count = 1;
  for (int64_t d : dims) count *= static_cast<size_t>(d);
  size_t bytes = count * elementSize(dtype);
  napi_typedarray_type type;
  size_t len;
  void* data;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, prop(env, v, "data"), &type, &len, &data, &buffer, &offset) != napi_ok) {
    throw Failure{"BAD_ARGUMENT", "tensor data must be a typed array"};
  }
  size_t have = len * (type == napi_float64_array || type == napi_bigint64_array ? 8
                       : type == napi_float32_array || type == napi_int32_array || type == napi_uint32_array ? 4
                       : type == napi_int16_array || type == napi_uint16_array ? 2 : 1);
  if (have != bytes) {
    throw Failure{"BAD_ARGUMENT", "tensor data has " + std::to_string(have) + " bytes; its shape and dtype need " +
                                      std::to_string(bytes)};
  }
  TF_Tensor* t = TF_AllocateTensor(dtype, dims.data(), static_cast<int>(dims.size()), bytes);
  if (bytes > 0) std::memcpy(TF_TensorData(t), data, bytes);
  return t;
}

// A TF_Tensor -> {dtype, shape, data} with a copied typed array.
napi_value tensorValue(napi_env env, TF_Tensor* t) {
  TF_DataType dtype = TF_TensorType(t);
  size_t bytes = TF_TensorByteSize(t);
  napi_typedarray_type type;
  size_t size = elementSize(dtype);
  switch (dtype) {
    case TF_FLOAT: type = napi_float32_array; break;
    case TF_INT32: type = napi_int32_array; break;
    case TF_DOUBLE: type = napi_float64_array; break;
    case TF_INT64: type = napi_bigint64_array; break;
    default: type = napi_uint8_array; break;
  }
  void* data = nullptr;
  napi_value buffer, array, obj, shape, dt;
  CHECK_NAPI(napi_create_arraybuffer(env, bytes, &data, &buffer));
  if (bytes > 0) std::memcpy(data, TF_TensorData(t), bytes);
  CHECK_NAPI(napi_create_typedarray(env, type, bytes / size, buffer, 0, &array));
  CHECK_NAPI(napi_create_array_with_length(env, TF_NumDims(t), &shape));
  for (int i = 0; i < TF_NumDims(t); ++i) {
    napi_value d;
    CHECK_NAPI(napi_create_double(env, static_cast<double>(TF_Dim(t, i)), &d));
    CHECK_NAPI(napi_set_element(env, shape, i, d));
  }
  CHECK_NAPI(napi_create_object(env, &obj));
  CHECK_NAPI(napi_create_int32(env, dtype, &dt));
  CHECK_NAPI(napi_set_named_property(env, obj, "dtype", dt));
  CHECK_NAPI(napi_set_named_property(env, obj, "shape", shape));
  CHECK_NAPI(napi_set_named_property(env, obj, "data", array));
  return obj;
}

}  // namespace graph_addon
