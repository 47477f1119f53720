namespace SemanticManipulation.FeatureLosses;

/// <summary>A constant tensor of an ONNX graph (a weight): its shape and float32 values.</summary>
internal sealed record OnnxInitializer(string Name, IReadOnlyList<long> Dims, float[] Values);
