using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp.Processing.Processors.Transforms;

namespace SemanticManipulation.Imaging;

/// <summary>How <see cref="ImageTensor.Load(string, int, ImageLoadOptions)"/> decodes a photo and fits it to the model.</summary>
public sealed class ImageLoadOptions
{
    /// <summary>The default largest accepted side, in pixels.</summary>
    public const int DefaultMaxSide = 16384;

    /// <summary>The default largest accepted pixel count (100 megapixels).</summary>
    public const long DefaultMaxPixels = 100_000_000;

    /// <summary>How the photo is brought to S×S. Default <see cref="ImageFitMode.CenterCrop"/>.</summary>
    public ImageFitMode FitMode { get; set; } = ImageFitMode.CenterCrop;

    /// <summary>
    /// The colour transparent pixels are composited over, and the letterbox colour of <see cref="ImageFitMode.Pad"/>.
    /// Default white, the background most viewers show transparent images on. Its own alpha is ignored.
    /// </summary>
    public Color Background { get; set; } = Color.White;

    /// <summary>The resampler used when scaling the photo. Default bicubic, as the PyTorch reference pipelines use.</summary>
    public IResampler Resampler { get; set; } = KnownResamplers.Bicubic;

    /// <summary>The largest accepted width or height; larger images are refused before they are decoded.
    /// Default <see cref="DefaultMaxSide"/>.</summary>
    public int MaxSide { get; set; } = DefaultMaxSide;

    /// <summary>The largest accepted width × height; larger images are refused before they are decoded.
    /// Default <see cref="DefaultMaxPixels"/>.</summary>
    public long MaxPixels { get; set; } = DefaultMaxPixels;

    /// <summary>The largest accepted encoded size, in bytes; larger files are refused before they are decoded.
    /// Default 256 MiB.</summary>
    public long MaxBytes { get; set; } = ImageLimits.DefaultMaxBytes;

    /// <summary>The most frames an animated image may have (only the first is used; the others must still be
    /// decoded by some formats). Default 256.</summary>
    public int MaxFrames { get; set; } = ImageLimits.DefaultMaxFrames;

    internal ImageLimits Limits => new(MaxSide, MaxPixels, MaxBytes, MaxFrames);

    internal static ImageLoadOptions Default { get; } = new();

    internal void Validate()
    {
        if (!Enum.IsDefined(FitMode))
        {
            throw new ArgumentOutOfRangeException(nameof(FitMode), FitMode, $"Unknown image fit mode {FitMode}.");
        }

        ArgumentNullException.ThrowIfNull(Resampler, nameof(Resampler));
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
