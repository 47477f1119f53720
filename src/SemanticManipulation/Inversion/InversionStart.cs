namespace SemanticManipulation.Inversion;

/// <summary>Where refinement starts.</summary>
public enum InversionStart
{
    /// <summary>The encoder's guess when an encoder made for this generator is available, else <see cref="Mean"/>.</summary>
    Auto,

    /// <summary>The encoder's guess (the authors'): its latent ẑ, with residuals on the early layers' outputs; or its r̂
    /// when it predicts no latent. Requires an encoder made for the generator.</summary>
    Encoder,

    /// <summary>
    /// The generator's mean features: the first early layer's output averaged over random latents replaces that layer's
    /// output, so r starts as the representation of an "average" image. Needs no encoder.
    /// </summary>
    Mean,
}
