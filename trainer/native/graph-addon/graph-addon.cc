// The graph-step addon: builds a TensorFlow graph op by op, adds gradients with the C++ gradient
// registry (TF_AddGradientsWithPrefix), and runs a session with feeds, fetches and targets in one
// native call. Plain N-API (node_api.h); links install-tensorflow's libtensorflow.so, the library
// tfjs-node's own binding loads, so both share one TensorFlow runtime in the process.
//
// JavaScript API (typed in trainer/graph/graph-addon.ts):
//   newGraph() -> graph
//   addOp(graph, {op, name, inputs, controls, attrs, device}) -> number of outputs
//   opCount(graph) -> number of operations
//   outputShape(graph, {op, index}) -> number[] (-1 unknown) | null (unknown rank)
//   addGradients(graph, prefix, ys, xs) -> outputs
//   newSession(graph, configBytes) -> session
//   run(session, feeds, fetches, targets) -> tensors
//   closeSession(session)
#include "attrs.h"
#include "tensors.h"

namespace graph_addon {
namespace {

struct GraphBox {
  TF_Graph* graph;
};

struct SessionBox {
  TF_Session* session;
  TF_Graph* graph;
  napi_ref graphRef;  // keeps the graph alive while the session is
};

napi_value NewGraph(napi_env env, napi_callback_info) {
  auto* box = new GraphBox{TF_NewGraph()};
  napi_value v;
  CHECK_NAPI(napi_create_external(
      env, box,
      [](napi_env, void* data, void*) {
        auto* b = static_cast<GraphBox*>(data);
        TF_DeleteGraph(b->graph);
        delete b;
      },
      nullptr, &v));
  return v;
}

napi_value AddOp(napi_env env, napi_callback_info info) {
  auto argv = args(env, info, 2);
  TF_Graph* g = unwrap<GraphBox>(env, argv[0], "graph")->graph;
  napi_value spec = argv[1];
  std::string type = str(env, prop(env, spec, "op"));
  std::string name = str(env, prop(env, spec, "name"));
  if (TF_GraphOperationByName(g, name.c_str()) != nullptr) {
    throw Failure{"DUPLICATE_OP", "the graph already has an operation named \"" + name + "\""};
  }
  // Parse everything first: see AttrSetter.
  std::vector<std::vector<TF_Output>> inputs;  // one entry per input arg
  std::vector<bool> isList;
  napi_value inputValues = prop(env, spec, "inputs");
  for (uint32_t i = 0, n = length(env, inputValues); i < n; ++i) {
    napi_value input = at(env, inputValues, i);
    bool list = false;
    CHECK_NAPI(napi_is_array(env, input, &list));
    inputs.push_back(list ? outputs(env, g, input) : std::vector<TF_Output>{output(env, g, input)});
    isList.push_back(list);
  }
  std::vector<TF_Operation*> controls;
  if (has(env, spec, "controls")) {
    napi_value values = prop(env, spec, "controls");
    for (uint32_t i = 0, n = length(env, values); i < n; ++i) controls.push_back(findOp(g, str(env, at(env, values, i))));
  }
  std::string device = has(env, spec, "device") ? str(env, prop(env, spec, "device")) : "";
  std::vector<AttrSetter> attrs;
  if (has(env, spec, "attrs")) {
    napi_value values = prop(env, spec, "attrs");
    for (uint32_t i = 0, n = length(env, values); i < n; ++i) attrs.push_back(parseAttr(env, at(env, values, i)));
  }
  TF_OperationDescription* desc = TF_NewOperation(g, type.c_str(), name.c_str());
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (isList[i]) {
      TF_AddInputList(desc, inputs[i].data(), static_cast<int>(inputs[i].size()));
    } else {
      TF_AddInput(desc, inputs[i][0]);
    }
  }
  for (TF_Operation* c : controls) TF_AddControlInput(desc, c);
  if (!device.empty()) TF_SetDevice(desc, device.c_str());
  // Only TF_SetAttrTensor can fail here, and not for the numeric tensors tensorFrom makes.
  Status setStatus, status;
  for (const AttrSetter& set : attrs) set(desc, setStatus.get());
  TF_Operation* op = TF_FinishOperation(desc, status.get());
  setStatus.check(type + " \"" + name + "\" attributes");
  status.check(type + " \"" + name + "\"");
  napi_value count;
  CHECK_NAPI(napi_create_int32(env, TF_OperationNumOutputs(op), &count));
  return count;
}

napi_value OpCount(napi_env env, napi_callback_info info) {
  auto argv = args(env, info, 1);
  TF_Graph* g = unwrap<GraphBox>(env, argv[0], "graph")->graph;
  size_t pos = 0;
  int32_t count = 0;
  while (TF_GraphNextOperation(g, &pos) != nullptr) ++count;
  napi_value result;
  CHECK_NAPI(napi_create_int32(env, count, &result));
  return result;
}

napi_value OutputShape(napi_env env, napi_callback_info info) {
  auto argv = args(env, info, 2);
  TF_Graph* g = unwrap<GraphBox>(env, argv[0], "graph")->graph;
  TF_Output o = output(env, g, argv[1]);
  Status status;
  int rank = TF_GraphGetTensorNumDims(g, o, status.get());
  status.check("shape of " + std::string(TF_OperationName(o.oper)));
  napi_value result;
  if (rank < 0) {
    CHECK_NAPI(napi_get_null(env, &result));
    return result;
  }
  std::vector<int64_t> dims(rank);
  TF_GraphGetTensorShape(g, o, dims.data(), rank, status.get());
  status.check("shape of " + std::string(TF_OperationName(o.oper)));
  CHECK_NAPI(napi_create_array_with_length(env, rank, &result));
  for (int i = 0; i < rank; ++i) {
    napi_value d;
    CHECK_NAPI(napi_create_double(env, static_cast<double>(dims[i]), &d));
    CHECK_NAPI(napi_set_element(env, result, i, d));
  }
  return result;
}

napi_value AddGradients(napi_env env, napi_callback_info info) {
  auto argv = args(env, info, 4);
  TF_Graph* g = unwrap<GraphBox>(env, argv[0], "graph")->graph;
  std::string prefix = str(env, argv[1]);
  std::vector<TF_Output> ys = outputs(env, g, argv[2]);
  std::vector<TF_Output> xs = outputs(env, g, argv[3]);
  std::vector<TF_Output> dys(xs.size());
  Status status;
  TF_AddGradientsWithPrefix(g, prefix.c_str(), ys.data(), static_cast<int>(ys.size()), xs.data(),
                            static_cast<int>(xs.size()), nullptr, status.get(), dys.data());
  status.check("gradients");
  napi_value result;
  CHECK_NAPI(napi_create_array_with_length(env, dys.size(), &result));
  for (size_t i = 0; i < dys.size(); ++i) {
    napi_value v;
    if (dys[i].oper == nullptr) {
      CHECK_NAPI(napi_get_null(env, &v));  // no path from the ys to this x
    } else {
      v = outputValue(env, dys[i]);
    }
    CHECK_NAPI(napi_set_element(env, result, static_cast<uint32_t>(i), v));
  }
  return result;
}

napi_value NewSession(napi_env env, napi_callback_info info) {
  auto argv = args(env, info, 2);
  TF_Graph* g = unwrap<GraphBox>(env, argv[0], "graph")->graph;
  void* config = nullptr;
  size_t configLen = 0;
  if (napi_get_buffer_info(env, argv[1], &config, &configLen) != napi_ok) {
    napi_typedarray_type type;
    napi_value buffer;
    size_t offset;
    if (napi_get_typedarray_info(env, argv[1], &type, &configLen, &config, &buffer, &offset) != napi_ok) {
      throw Failure{"BAD_ARGUMENT", "session config must be a Uint8Array (a serialized ConfigProto)"};
    }
  }
  Status status;
  TF_SessionOptions* opts = TF_NewSessionOptions();
  TF_SetConfig(opts, config, configLen, status.get());
  if (TF_GetCode(status.get()) != TF_OK) {
    TF_DeleteSessionOptions(opts);
    status.check("session config");
  }
  TF_Session* session = TF_NewSession(g, opts, status.get());
  TF_DeleteSessionOptions(opts);
  status.check("new session");
  auto* box = new SessionBox{session, g, nullptr};
  CHECK_NAPI(napi_create_reference(env, argv[0], 1, &box->graphRef));
  napi_value v;
  CHECK_NAPI(napi_create_external(
      env, box,
      [](napi_env env, void* data, void*) {
        auto* b = static_cast<SessionBox*>(data);
        if (b->session != nullptr) {
          Status s;
          TF_CloseSession(b->session, s.get());
          TF_DeleteSession(b->session, s.get());
        }
        napi_delete_reference(env, b->graphRef);
        delete b;
      },
      nullptr, &v));
  return v;
}

napi_value CloseSession(napi_env env, napi_callback_info info) {
  auto argv = args(env, info, 1);
  auto* box = unwrap<SessionBox>(env, argv[0], "session");
  if (box->session != nullptr) {
    Status status;
    TF_CloseSession(box->session, status.get());
    TF_DeleteSession(box->session, status.get());
    box->session = nullptr;
    status.check("close session");
  }
  return nullptr;
}


napi_value Run(napi_env env, napi_callback_info info) {
  auto argv = args(env, info, 4);
  auto* box = unwrap<SessionBox>(env, argv[0], "session");
  if (box->session == nullptr) throw Failure{"CLOSED", "the session is closed"};
  TF_Graph* g = box->graph;
  std::vector<TF_Output> feedOuts;
  Tensors feeds;
  for (uint32_t i = 0, n = length(env, argv[1]); i < n; ++i) {
    napi_value feed = at(env, argv[1], i);
    feedOuts.push_back(output(env, g, prop(env, feed, "output")));
    feeds.list.push_back(tensorFrom(env, prop(env, feed, "tensor")));
  }
  std::vector<TF_Output> fetchOuts = outputs(env, g, argv[2]);
  std::vector<TF_Operation*> targets;
  for (uint32_t i = 0, n = length(env, argv[3]); i < n; ++i) targets.push_back(findOp(g, str(env, at(env, argv[3], i))));
  Tensors fetched;
  fetched.list.assign(fetchOuts.size(), nullptr);
  Status status;
  TF_SessionRun(box->session, nullptr, feedOuts.data(), feeds.list.data(), static_cast<int>(feedOuts.size()),
                fetchOuts.data(), fetched.list.data(), static_cast<int>(fetchOuts.size()), targets.data(),
                static_cast<int>(targets.size()), nullptr, status.get());
  status.check("session run");
  napi_value result;
  CHECK_NAPI(napi_create_array_with_length(env, fetchOuts.size(), &result));
  for (size_t i = 0; i < fetchOuts.size(); ++i) {
    CHECK_NAPI(napi_set_element(env, result, static_cast<uint32_t>(i), tensorValue(env, fetched.list[i])));
  }
  return result;
}

// Wraps a callback so a Failure becomes a thrown JavaScript Error with a code.
template <napi_value (*F)(napi_env, napi_callback_info)>
napi_value guarded(napi_env env, napi_callback_info info) {
  try {
    return F(env, info);
  } catch (const Failure& f) {
    napi_throw_error(env, f.code.c_str(), f.message.c_str());
  } catch (const std::exception& e) {
    napi_throw_error(env, "NATIVE", e.what());
  }
  return nullptr;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"newGraph", nullptr, guarded<NewGraph>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"addOp", nullptr, guarded<AddOp>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"opCount", nullptr, guarded<OpCount>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"outputShape", nullptr, guarded<OutputShape>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"addGradients", nullptr, guarded<AddGradients>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"newSession", nullptr, guarded<NewSession>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"closeSession", nullptr, guarded<CloseSession>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"run", nullptr, guarded<Run>, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace
}  // namespace graph_addon

NAPI_MODULE(NODE_GYP_MODULE_NAME, graph_addon::Init)
