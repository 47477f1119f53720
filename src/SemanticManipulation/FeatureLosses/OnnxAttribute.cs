namespace SemanticManipulation.FeatureLosses;

/// <summary>The value of an ONNX node attribute; only the kinds the importer reads are kept.</summary>
internal sealed record OnnxAttribute(float? Float, long? Int, string? Text, IReadOnlyList<float> Floats, IReadOnlyList<long> Ints);
