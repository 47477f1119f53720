namespace SemanticManipulation.Inversion;

/// <summary>Where refinement starts.</summary>
public enum InversionStart
{
    /// <summary>The encoder's guess when an encoder made for this generator is available, else <see cref="Mean"/>.</summary>
    Auto,

    /// <summary>The encoder's guess: its latent ẑ (the authors') or its r̂, whichever reproduces the photo better. Requires
    /// an encoder made for the generator.</summary>
    Encoder,

    /// <summary>
    /// The mean representation: of <see cref="InversionOptions.MeanSamples"/> seeded random latents, their mean
    /// representation r̄ or the latent whose representation is nearest r̄, whichever reproduces the photo better. Needs
    /// no encoder; the choice mirrors the encoder's (a latent or a representation), so the two starts differ only in
    /// where they begin.
    /// </summary>
    Mean,
}
