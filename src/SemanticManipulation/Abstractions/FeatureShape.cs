namespace SemanticManipulation;

/// <summary>The shape of one image's feature map: channels × height × width.</summary>
/// <param name="Channels">Number of channels (units).</param>
/// <param name="Height">Height in cells.</param>
/// <param name="Width">Width in cells.</param>
public readonly record struct FeatureShape(int Channels, int Height, int Width)
{
    /// <summary>The shape as a batch-of-<paramref name="batch"/> tensor shape <c>[N, C, H, W]</c>.</summary>
    public long[] ToTensorShape(long batch = 1) => [batch, Channels, Height, Width];

    /// <inheritdoc />
    public override string ToString() => $"{Channels}×{Height}×{Width}";
}
