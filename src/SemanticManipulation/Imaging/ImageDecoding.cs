using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Tiff;
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
    /// <exception cref="UnsupportedImageException">The file is not a readable image of acceptable size.</exception>
    public static Image<Rgba32> DecodeFile(string path, int maxSide, long maxPixels)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            var reason = Directory.Exists(path) ? "is a directory, not an image file" : "does not exist";
            throw new FileNotFoundException($"The image file '{path}' {reason}.", path);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        return Decode(stream, $"'{path}'", path, maxSide, maxPixels);
    }

    /// <summary>
    /// Decodes a stream into upright RGBA: only the first frame of animations is kept and EXIF orientation is applied.
    /// </summary>
    /// <param name="stream">The encoded image; read from its current position.</param>
    /// <param name="description">How messages name the source, e.g. a quoted path.</param>
    /// <param name="path">The file path, when the stream is a file.</param>
    /// <param name="maxSide">The largest accepted width or height.</param>
    /// <param name="maxPixels">The largest accepted pixel count.</param>
    public static Image<Rgba32> Decode(Stream stream, string description, string? path, int maxSide, long maxPixels)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The image stream is not readable.", nameof(stream));
        }

        // Identify and then decode reads the header twice, so the stream must be able to rewind.
        MemoryStream? copy = null;
        if (!stream.CanSeek)
        {
            copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }

        try
        {
            var start = stream.Position;
            var configuration = Configuration.Default;
            IImageInfo? info;
            IImageFormat? format;
            try
            {
                info = Image.Identify(configuration, stream, out format);
            }
            catch (ImageFormatException ex)
            {
                throw Unreadable(description, path, ex);
            }

            if (info is null || format is null)
            {
                throw new UnsupportedImageException(path ?? description,
                    $"The image {description} is not a recognised image format (supported: {SupportedFormats}).");
            }

            // Checked before decoding so that a tiny file claiming a gigapixel cannot exhaust memory.
            CheckSize(description, path, info.Width, info.Height, maxSide, maxPixels);

            stream.Position = start;
            Image<Rgba32> image;
            try
            {
                image = Image.Load<Rgba32>(configuration, stream, FirstFrameDecoder(configuration, format));
            }
            catch (ImageFormatException ex)
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
        finally
        {
            copy?.Dispose();
        }
    }

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

    private static UnsupportedImageException Unreadable(string description, string? path, ImageFormatException ex) =>
        ex is UnknownImageFormatException
            ? new UnsupportedImageException(path ?? description,
                $"The image {description} is not a recognised image format (supported: {SupportedFormats}).", ex)
            : new UnsupportedImageException(path ?? description,
                $"The image {description} could not be decoded; it is corrupt or uses an unsupported variant of its format ({ex.Message})", ex);
}
