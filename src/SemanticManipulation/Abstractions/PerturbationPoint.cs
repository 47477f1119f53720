namespace SemanticManipulation;

/// <summary>A point after a G_F layer where an image-specific perturbation δ of the feature map's full shape applies.</summary>
/// <param name="LayerName">The layer whose output is perturbed, e.g. <c>layer8</c>.</param>
/// <param name="Shape">The shape of that layer's output (and of δ) for one image.</param>
public sealed record PerturbationPoint(string LayerName, FeatureShape Shape);
