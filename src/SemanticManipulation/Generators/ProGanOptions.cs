using static TorchSharp.torch;

namespace SemanticManipulation.Generators;

/// <summary>How a ProGAN generator is built or loaded.</summary>
public sealed class ProGanOptions
{
    /// <summary>Where to split the generator and which late layers to perturb.</summary>
    public LayerSplitOptions Split { get; set; } = new();

    /// <summary>Clamp the output to [-1, 1] (a variant of the authors' output block). Default off.</summary>
    public bool ClampOutput { get; set; }

    /// <summary>The device to place the weights on. Null means the CPU.</summary>
    public Device? Device { get; set; }

    /// <summary>When set, loading refuses a checkpoint of any other resolution.</summary>
    public int? ExpectedResolution { get; set; }

    /// <summary>A copy (sharing <see cref="Split"/> and <see cref="Device"/>, which callers replace rather than change).</summary>
    internal ProGanOptions Clone() => (ProGanOptions)MemberwiseClone();
}
