using static TorchSharp.torch;

namespace SemanticManipulation.Inversion;

/// <summary>The trunk of a new hybrid encoder; everything else is sized from the generator it inverts.</summary>
public sealed class HybridEncoderOptions
{
    /// <summary>Channels of the trunk's first stage; the stages have 1, 2, 4, 8 times as many (64 as in ResNet-18, the
    /// authors'; narrower trunks train faster on small generators).</summary>
    public int TrunkWidth { get; set; } = 64;

    /// <summary>Basic blocks in each of the trunk's four stages ([2, 2, 2, 2] as in ResNet-18).</summary>
    public IReadOnlyList<int> TrunkBlocks { get; set; } = [2, 2, 2, 2];

    /// <summary>The device for the encoder's weights. Null: the generator's device.</summary>
    public Device? Device { get; set; }

    /// <summary>Checks every value, naming the first that is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (TrunkWidth < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TrunkWidth), TrunkWidth, "The trunk width must be at least 1.");
        }

        if (TrunkBlocks is null || TrunkBlocks.Count != 4 || TrunkBlocks.Any(b => b < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TrunkBlocks), TrunkBlocks is null ? "null" : string.Join(", ", TrunkBlocks),
                "The trunk needs four stages of at least one block each.");
        }
    }
}
