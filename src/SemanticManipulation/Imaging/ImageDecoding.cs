using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SemanticManipulation.Imaging;

/// <summary>
/// Decodes image files and streams of any format ImageSharp knows into upright RGBA, refusing unreadable, empty and
/// oversized images with messages that name the source and the reason.
/// </summary>
internal static class ImageDecoding
{
    /// <summary>The formats the default ImageSharp configuration decodes, for error messages.</summary>
    internal static string SupportedFormats { get; } = string.Join(", ",
        Configuration.Default.ImageFormats.Select(f => f.Name).Order(StringComparer.Ordinal));

    /// <summary>Opens and decodes a file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnsupportedImageException">The file is not a readable, whole image within <paramref name="limits"/>.</exception>
    public static Image<Rgba32> DecodeFile(string path, ImageLimits limits)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            var reason = Directory.Exists(path) ? "is a directory, not an image file" : "does not exist";
            throw new FileNotFoundException($"The image file '{path}' {reason}.", path);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        return Decode(stream, $"'{path}'", path, limits);
    }

    /// <summary>
    /// Decodes a stream into upright RGBA: only the first frame of animations is kept and EXIF orientation is applied.
    /// </summary>
    /// <param name="stream">The encoded image; read from its current position to its end.</param>
    /// <param name="description">How messages name the source, e.g. a quoted path.</param>
    /// <param name="path">The file path, when the stream is a file.</param>
    /// <param name="limits">What the image may cost; it is refused, before ImageSharp decodes it, beyond them.</param>
    /// <exception cref="UnsupportedImageException">The data is not a readable, whole image within <paramref name="limits"/>.</exception>
    public static Image<Rgba32> Decode(Stream stream, string description, string? path, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The image stream is not readable.", nameof(stream));
        }

        // The whole encoding is read first (it is needed for the completeness check, and it bounds what a stream
        // without a length can make us buffer).
        var data = ReadAll(stream, description, path, limits.MaxBytes);
        var configuration = Configuration.Default;
        var format = Image.DetectFormat(configuration, data);
        if (format is null)
        {
            throw new UnsupportedImageException(path ?? description,
                $"The image {description} is not a recognised image format (supported: {SupportedFormats}).");
        }

        using var memory = new MemoryStream(data, writable: false);
        IImageInfo? info = null;
        Exception? unreadable = null;
        try
        {
            info = Image.Identify(configuration, memory);
        }
        catch (Exception ex) when (IsDecoderFailure(ex))
        {
            unreadable = ex;
        }

        // Checked before decoding so that a tiny file claiming a gigapixel cannot exhaust memory.
        if (info is not null)
        {
            CheckSize(description, path, info.Width, info.Height, limits.MaxSide, limits.MaxPixels);
        }

        // A cut-off file is named as such, whatever ImageSharp makes of it (often nothing: it decodes the missing part grey).
        if (ImageCompleteness.FindTruncation(data, format) is { } truncation)
        {
            throw new UnsupportedImageException(path ?? description,
                $"The image {description} is truncated: {truncation}. It was probably cut off while being copied or downloaded; use a complete file.");
        }

        if (format is WebpFormat && ImageCompleteness.WebpFrames(data) is var frames && frames > limits.MaxFrames)
        {
            throw new UnsupportedImageException(path ?? description,
                $"The image {description} is an animation of {frames} frames, more than the limit of {limits.MaxFrames}.");
        }

        if (unreadable is not null)
        {
            throw Unreadable(description, path, unreadable);
        }

        if (info is null)
        {
            throw new UnsupportedImageException(path ?? description,
                $"The image {description} is not a recognised image format (supported: {SupportedFormats}).");
        }

        memory.Position = 0;
        Image<Rgba32> image;
        try
        {
            image = Image.Load<Rgba32>(configuration, memory, FirstFrameDecoder(configuration, format));
        }
        catch (Exception ex) when (IsDecoderFailure(ex))
        {
            throw Unreadable(description, path, ex);
        }

        try
        {
            // Formats without a first-frame-only decoding mode (WebP) may still bring every frame.
            while (image.Frames.Count > 1)
            {
                image.Frames.RemoveFrame(image.Frames.Count - 1);
            }

            if (image.Metadata.ExifProfile?.GetValue(ExifTag.Orientation) is { } orientation && orientation.Value > 1)
            {
                image.Mutate(x => x.AutoOrient());
            }

            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    private static byte[] ReadAll(Stream stream, string description, string? path, long maxBytes)
    {
        if (stream.CanSeek && stream.Length - stream.Position > maxBytes)
        {
            throw TooManyBytes(description, path, stream.Length - stream.Position, maxBytes);
        }

        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            copy.Write(buffer, 0, read);
            if (copy.Length > maxBytes)
            {
                throw TooManyBytes(description, path, null, maxBytes);
            }
        }

        return copy.ToArray();
    }

    private static UnsupportedImageException TooManyBytes(string description, string? path, long? bytes, long maxBytes) =>
        new(path ?? description,
            $"The image {description} is too large: {(bytes is { } b ? $"{b} bytes, more" : "more")} than the limit of {maxBytes} bytes.");

    /// <summary>Refuses empty and oversized images, naming their size and the limit.</summary>
    internal static void CheckSize(string description, string? path, int width, int height, int maxSide, long maxPixels)
    {
        if (width <= 0 || height <= 0)
        {
            throw new UnsupportedImageException(path ?? description,
                $"The image {description} has zero size ({width}×{height} pixels).");
        }

        if (width > maxSide || height > maxSide)
        {
            throw new UnsupportedImageException(path ?? description,
                $"The image {description} is too large: {width}×{height} pixels, more than the limit of {maxSide} pixels per side.");
        }

        if ((long)width * height > maxPixels)
        {
            throw new UnsupportedImageException(path ?? description,
                $"The image {description} is too large: {width}×{height} = {(long)width * height} pixels, more than the " +
                $"limit of {maxPixels} pixels.");
        }
    }

    private static IImageDecoder FirstFrameDecoder(Configuration configuration, IImageFormat format) => format switch
    {
        // Animated GIFs and multi-page TIFFs would otherwise decode every frame only for all but the first to be dropped.
        GifFormat => new GifDecoder { DecodingMode = FrameDecodingMode.First },
        TiffFormat => new TiffDecoder { DecodingMode = FrameDecodingMode.First },
        _ => configuration.ImageFormatsManager.FindDecoder(format),
    };

    /// <summary>
    /// Whether an exception is ImageSharp giving up on the data. Beyond its own <see cref="ImageFormatException"/>,
    /// ImageSharp 2.1's decoders let crafted files through as whatever their code trips over (argument, index, LINQ and
    /// memory-operation errors, found by fuzzing every format): at this boundary every such failure means the same
    /// thing, an image that cannot be read. Only running out of memory, which says nothing about the file, goes on.
    /// </summary>
    private static bool IsDecoderFailure(Exception ex) => ex is not (OutOfMemoryException or OperationCanceledException);

    private static UnsupportedImageException Unreadable(string description, string? path, Exception ex)
    {
        var detail = string.Join(' ', ex.Message.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return ex switch
        {
            UnknownImageFormatException => new UnsupportedImageException(path ?? description,
                $"The image {description} is not a recognised image format (supported: {SupportedFormats}).", ex),
            NotSupportedException => new UnsupportedImageException(path ?? description,
                $"The image {description} uses a feature of its format that cannot be read here ({detail}).", ex),
            ImageFormatException => new UnsupportedImageException(path ?? description,
                $"The image {description} could not be decoded; it is corrupt or uses an unsupported variant of its format ({detail})", ex),
            _ => new UnsupportedImageException(path ?? description,
                $"The image {description} could not be decoded; it is corrupt (the decoder failed with {ex.GetType().Name}: {detail})", ex),
        };
    }
}
