// Operation attributes from JavaScript: [name, kind, value] triples parsed into setters.
#pragma once

#include <functional>

#include "js-values.h"

namespace graph_addon {

// A parsed attribute: applies itself to a description. Parsing every attribute, input and
// control before TF_NewOperation means a bad argument never leaves a half-built op in the graph
// (a started description can only be freed by finishing it, which would add the op).
using AttrSetter = std::function<void(TF_OperationDescription*, TF_Status*)>;

// One attribute [name, kind, value], parsed; kinds: int, float, bool, string, type, shape, ints,
// types, tensor.
AttrSetter parseAttr(napi_env env, napi_value attr);

}  // namespace graph_addon
