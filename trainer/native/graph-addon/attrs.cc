#include "attrs.h"

#include <memory>

#include "tensors.h"

namespace graph_addon {

AttrSetter parseAttr(napi_env env, napi_value attr) {
  auto name = std::make_shared<std::string>(str(env, at(env, attr, 0)));
  std::string kind = str(env, at(env, attr, 1));
  napi_value v = at(env, attr, 2);
  if (kind == "int") {
    int64_t value = static_cast<int64_t>(num(env, v));
    return [name, value](TF_OperationDescription* d, TF_Status*) { TF_SetAttrInt(d, name->c_str(), value); };
  }
  if (kind == "float") {
    float value = static_cast<float>(num(env, v));
    return [name, value](TF_OperationDescription* d, TF_Status*) { TF_SetAttrFloat(d, name->c_str(), value); };
  }
  if (kind == "bool") {
    unsigned char value = boolean(env, v) ? 1 : 0;
    return [name, value](TF_OperationDescription* d, TF_Status*) { TF_SetAttrBool(d, name->c_str(), value); };
  }
  if (kind == "string") {
    std::string value = str(env, v);
    return [name, value](TF_OperationDescription* d, TF_Status*) {
      TF_SetAttrString(d, name->c_str(), value.data(), value.size());
    };
  }
  if (kind == "type") {
    auto value = static_cast<TF_DataType>(static_cast<int>(num(env, v)));
    return [name, value](TF_OperationDescription* d, TF_Status*) { TF_SetAttrType(d, name->c_str(), value); };
  }
  if (kind == "shape" || kind == "ints") {
    std::vector<int64_t> list = int64s(env, v);
    bool shape = kind == "shape";
    return [name, list, shape](TF_OperationDescription* d, TF_Status*) {
      if (shape) {
        TF_SetAttrShape(d, name->c_str(), list.data(), static_cast<int>(list.size()));
      } else {
        TF_SetAttrIntList(d, name->c_str(), list.data(), static_cast<int>(list.size()));
      }
    };
  }
  if (kind == "types") {
    std::vector<int64_t> list = int64s(env, v);
    std::vector<TF_DataType> types(list.size());
    for (size_t i = 0; i < list.size(); ++i) types[i] = static_cast<TF_DataType>(list[i]);
    return [name, types](TF_OperationDescription* d, TF_Status*) {
      TF_SetAttrTypeList(d, name->c_str(), types.data(), static_cast<int>(types.size()));
    };
  }
  if (kind == "tensor") {
    std::shared_ptr<TF_Tensor> tensor(tensorFrom(env, v), TF_DeleteTensor);
    return [name, tensor](TF_OperationDescription* d, TF_Status* s) {
      TF_SetAttrTensor(d, name->c_str(), tensor.get(), s);
    };
  }
  throw Failure{"BAD_ARGUMENT", "attribute \"" + *name + "\" has unknown kind \"" + kind + "\""};
}

}  // namespace graph_addon
