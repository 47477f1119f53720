namespace SemanticManipulation.Training.World.Rendering;

/// <summary>The camera-like treatment applied when supersamples are resolved to pixels.</summary>
/// <param name="Exposure">Overall brightness multiplier.</param>
/// <param name="Contrast">Contrast around mid-grey (1 keeps it).</param>
/// <param name="Saturation">Colour saturation (1 keeps it).</param>
/// <param name="Vignette">How much the corners darken (0 none).</param>
/// <param name="Grain">Standard deviation of the per-pixel sensor noise, in [0, 1] colour units.</param>
/// <param name="GrainSalt">Decorrelates the noise between scenes.</param>
internal readonly record struct PhotoFinish(float Exposure, float Contrast, float Saturation, float Vignette, float Grain, uint GrainSalt);
