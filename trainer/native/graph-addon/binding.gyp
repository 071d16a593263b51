# The graph-step addon: TensorFlow's C graph API (graph building, TF_AddGradients, sessions) for
# Node through plain N-API. install-tensorflow (trainer/native/graph-addon-build.ts) builds it and
# sets TF_INCLUDE (the wheel's C headers, extracted to deps/include) and TF_LIB (deps/lib, holding
# libtensorflow.so). The addon is installed as <install>/graph-addon/graph_addon.node
# (native-layout.ts), so its RUNPATH reaches the library at $ORIGIN/../package/deps/lib
# (`\$$` is make's and the shell's escape of `$`, as in tfjs-node's binding.gyp).
{
  "targets": [
    {
      "target_name": "graph_addon",
      "sources": ["graph-addon.cc", "js-values.cc", "tensors.cc", "attrs.cc"],
      "include_dirs": ["<!(node -p \"process.env.TF_INCLUDE\")"],
      "cflags_cc": ["-std=c++17", "-O2", "-fexceptions"],
      "libraries": [
        "-L<!(node -p \"process.env.TF_LIB\")",
        "-ltensorflow",
        "-Wl,-rpath,\\$$ORIGIN/../package/deps/lib"
      ],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
