/** ONNX Runtime, and import of ONNX graphs into the native engine. */
module org.modelbench.onnx {
    requires org.modelbench.api;
    requires org.modelbench.engine;
    requires com.microsoft.onnxruntime;
    requires org.tribuo.util.onnx;
}
