// Graph outputs and host tensors across the N-API boundary: {op, index} objects and
// {dtype, shape, data} objects with typed arrays, copied both ways.
#pragma once

#include "js-values.h"

namespace graph_addon {

// The operation named `name`; UNKNOWN_OP when the graph has none.
TF_Operation* findOp(TF_Graph* g, const std::string& name);
// {op, index} -> TF_Output, checked against the op's number of outputs.
TF_Output output(napi_env env, TF_Graph* g, napi_value v);
std::vector<TF_Output> outputs(napi_env env, TF_Graph* g, napi_value arr);
// TF_Output -> {op, index}.
napi_value outputValue(napi_env env, TF_Output o);
// {dtype, shape, data} -> a new TF_Tensor the caller owns; the data's byte size must match.
TF_Tensor* tensorFrom(napi_env env, napi_value v);
// A TF_Tensor -> {dtype, shape, data} with a copy of its data.
napi_value tensorValue(napi_env env, TF_Tensor* t);

// Deletes the tensors it holds, whatever happens.
struct Tensors {
  std::vector<TF_Tensor*> list;
  ~Tensors() {
    for (TF_Tensor* t : list)
      if (t != nullptr) TF_DeleteTensor(t);
  }
};

}  // namespace graph_addon
