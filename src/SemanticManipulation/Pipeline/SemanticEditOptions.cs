using SemanticManipulation.Adaptation;
using SemanticManipulation.Inversion;

namespace SemanticManipulation.Pipeline;

/// <summary>Options of the whole edit: how the photo is inverted, how a reference is inverted, how G' is fitted.</summary>
public sealed class SemanticEditOptions
{
    /// <summary>Inversion of the photo (the paper: 3000 refinement steps; fewer is often enough).</summary>
    public InversionOptions Inversion { get; set; } = new() { Steps = 500 };

    /// <summary>Inversion of a restyle reference (only its mean representation matters, so a short one).</summary>
    public InversionOptions ReferenceInversion { get; set; } = new() { Steps = 100 };

    /// <summary>Adaptation of G' for the final render: at most 1000 steps (the paper's; its lr 0.1 here 0.01), stopping once
    /// the kept pixels reach 40 dB (<see cref="AdaptationOptions.TargetKeptPsnrDb"/>).</summary>
    public AdaptationOptions Adaptation { get; set; } = new();

    /// <summary>Adaptation for the interactive preview, fitted once per photo with an empty mask: at most 300 steps of
    /// free δ, stopping at 40 dB.</summary>
    public AdaptationOptions PreviewAdaptation { get; set; } = new() { Steps = 300, Kind = PerturbationKinds.Free };
}
