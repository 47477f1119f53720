namespace SemanticManipulation.Imaging;

/// <summary>
/// What an image may cost before it is decoded: its encoded size, its width and height, its pixel count, and the
/// frames of an animation. ImageSharp 2.1 has reported flaws with crafted images; nothing reaches its decoders that
/// these limits have not let through.
/// </summary>
/// <param name="MaxSide">The largest width or height, in pixels.</param>
/// <param name="MaxPixels">The largest width × height, and the largest number of pixels all decoded frames hold together.</param>
/// <param name="MaxBytes">The largest encoded size, in bytes.</param>
/// <param name="MaxFrames">The most frames an animated image may have.</param>
internal readonly record struct ImageLimits(int MaxSide, long MaxPixels, long MaxBytes, int MaxFrames)
{
    /// <summary>The default largest encoded size (256 MiB: far above any photo, even at the pixel limit).</summary>
    public const long DefaultMaxBytes = 256L << 20;

    /// <summary>The default most frames of an animation.</summary>
    public const int DefaultMaxFrames = 256;
}
