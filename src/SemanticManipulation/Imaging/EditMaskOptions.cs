namespace SemanticManipulation.Imaging;

/// <summary>How <see cref="EditMask"/> reads a mask image.</summary>
public sealed class EditMaskOptions
{
    /// <summary>
    /// When set, the fitted mask is binarized: values at or above the threshold become 1, the rest 0. Must be in
    /// (0, 1]. Default null: the soft mask is kept.
    /// </summary>
    public float? Threshold { get; set; }

    /// <summary>How the mask is scaled to the model's resolution. Default <see cref="MaskResampling.Area"/>.</summary>
    public MaskResampling Resampling { get; set; } = MaskResampling.Area;

    /// <summary>The largest accepted width or height of a mask image. Default <see cref="ImageLoadOptions.DefaultMaxSide"/>.</summary>
    public int MaxSide { get; set; } = ImageLoadOptions.DefaultMaxSide;

    /// <summary>The largest accepted width × height of a mask image. Default <see cref="ImageLoadOptions.DefaultMaxPixels"/>.</summary>
    public long MaxPixels { get; set; } = ImageLoadOptions.DefaultMaxPixels;

    /// <summary>The largest accepted encoded size, in bytes; larger files are refused before they are decoded.
    /// Default 256 MiB.</summary>
    public long MaxBytes { get; set; } = ImageLimits.DefaultMaxBytes;

    /// <summary>The most frames an animated image may have (only the first is used; the others must still be
    /// decoded by some formats). Default 256.</summary>
    public int MaxFrames { get; set; } = ImageLimits.DefaultMaxFrames;

    internal ImageLimits Limits => new(MaxSide, MaxPixels, MaxBytes, MaxFrames);

    internal static EditMaskOptions Default { get; } = new();

    internal void Validate()
    {
        if (Threshold is { } threshold && !(threshold > 0f && threshold <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), threshold, "The mask threshold must be in (0, 1].");
        }

        if (!Enum.IsDefined(Resampling))
        {
            throw new ArgumentOutOfRangeException(nameof(Resampling), Resampling, $"Unknown mask resampling {Resampling}.");
        }

        if (MaxSide <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSide), MaxSide, "The largest accepted side must be positive.");
        }

        if (MaxPixels <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPixels), MaxPixels, "The largest accepted pixel count must be positive.");
        }

        if (MaxBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBytes), MaxBytes, "The largest accepted file size must be positive.");
        }

        if (MaxFrames <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFrames), MaxFrames, "The largest accepted frame count must be positive.");
        }
    }
}
