namespace SemanticManipulation.Inversion;

/// <summary>Which kind of guess refinement started from.</summary>
public enum StartGuess
{
    /// <summary>A latent z (the encoder's ẑ, or the latent nearest the mean representation), refined the authors' way:
    /// additive residuals on the outputs of the layers before the split, so r* stays an output of the split layer.</summary>
    Latent,

    /// <summary>A representation (the encoder's r̂, or the mean representation r̄) in place of the split layer's output,
    /// refined by one additive residual on it.</summary>
    Representation,
}
