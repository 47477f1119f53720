using SemanticManipulation.Runtime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Imaging;

/// <summary>
/// Converts between images and the tensors the models take: float32 <c>[1, 3, H, W]</c>, RGB, values in [-1, 1]
/// (byte v ↦ v / 255 · 2 − 1). Loads photos of any supported format fitted to the model's S×S resolution, and saves
/// results atomically.
/// </summary>
public static class ImageTensor
{
    /// <summary>The largest model resolution accepted, in pixels per side.</summary>
    public const int MaxResolution = 16384;

    private static readonly float[] ByteToUnit = BuildByteToUnit();

    /// <summary>Converts an image to a float32 CPU tensor <c>[1, 3, H, W]</c> in [-1, 1], exactly and without
    /// resizing.</summary>
    /// <param name="image">The image (its first frame).</param>
    /// <returns>A new tensor the caller owns.</returns>
    /// <exception cref="ArgumentException">A side of the image exceeds <see cref="MaxResolution"/>.</exception>
    public static Tensor FromImage(Image<Rgb24> image)
    {
        TorchRuntime.EnsureInitialized();
        ArgumentNullException.ThrowIfNull(image);
        if (image.Width > MaxResolution || image.Height > MaxResolution)
        {
            throw new ArgumentException(
                $"The image is {image.Width}×{image.Height} pixels; image tensors are limited to {MaxResolution} pixels per side.",
                nameof(image));
        }

        int width = image.Width, height = image.Height;
        var plane = width * height;
        var data = new float[3 * plane];
        image.ProcessPixelRows(pixels =>
        {
            for (var y = 0; y < pixels.Height; y++)
            {
                var row = pixels.GetRowSpan(y);
                var offset = y * width;
                for (var x = 0; x < row.Length; x++)
                {
                    var p = row[x];
                    data[offset + x] = ByteToUnit[p.R];
                    data[plane + offset + x] = ByteToUnit[p.G];
                    data[(2 * plane) + offset + x] = ByteToUnit[p.B];
                }
            }
        });

        using var scope = torch.NewDisposeScope();
        return torch.tensor(data, [1, 3, height, width]).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Converts a tensor <c>[1, 3, H, W]</c> or <c>[3, H, W]</c> with values in [-1, 1] to an image:
    /// (x + 1) / 2 · 255, clamped to [0, 255] and rounded half up (as PyTorch's <c>floor(v + 0.5)</c>).
    /// </summary>
    /// <param name="tensor">The image tensor, of any floating-point type, on any device. It is not modified.</param>
    /// <returns>A new image the caller owns.</returns>
    /// <exception cref="ArgumentException">The tensor's shape or type is not an image's, or it contains NaN.</exception>
    public static Image<Rgb24> ToImage(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var shape = tensor.shape;
        var isImage = (shape.Length == 4 && shape[0] == 1 && shape[1] == 3) || (shape.Length == 3 && shape[0] == 3);
        if (!isImage || shape[^1] <= 0 || shape[^2] <= 0 || shape[^1] > MaxResolution || shape[^2] > MaxResolution)
        {
            throw new ArgumentException(
                $"Expected an image tensor of shape [1, 3, H, W] or [3, H, W] with 0 < H, W ≤ {MaxResolution}, " +
                $"got {FormatShape(shape)}.", nameof(tensor));
        }

        if (!IsFloatingPoint(tensor.dtype))
        {
            throw new ArgumentException(
                $"Expected a floating-point image tensor with values in [-1, 1], got {tensor.dtype} of shape {FormatShape(shape)}.",
                nameof(tensor));
        }

        int height = (int)shape[^2], width = (int)shape[^1];
        float[] data;
        using (torch.NewDisposeScope())
        {
            data = tensor.detach().to(ScalarType.Float32, torch.CPU).contiguous().data<float>().ToArray();
        }

        var plane = width * height;
        var nan = Array.FindIndex(data, float.IsNaN);
        if (nan >= 0)
        {
            throw new ArgumentException(
                $"The image tensor contains NaN (first at channel {nan / plane}, row {nan % plane / width}, column " +
                $"{nan % width}), which no pixel value represents.", nameof(tensor));
        }

        var image = new Image<Rgb24>(width, height);
        try
        {
            image.ProcessPixelRows(pixels =>
            {
                for (var y = 0; y < pixels.Height; y++)
                {
                    var row = pixels.GetRowSpan(y);
                    var offset = y * width;
                    for (var x = 0; x < row.Length; x++)
                    {
                        var i = offset + x;
                        row[x] = new Rgb24(
                            UnitToByte(data[i]),
                            UnitToByte(data[plane + i]),
                            UnitToByte(data[(2 * plane) + i]));
                    }
                }
            });
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>Loads a photo fitted to S×S with <see cref="ImageFitMode.CenterCrop"/>.</summary>
    /// <inheritdoc cref="Load(string, int, ImageLoadOptions)"/>
    public static LoadedImage Load(string path, int resolution) => Load(path, resolution, ImageLoadOptions.Default);

    /// <summary>Loads a photo fitted to S×S with the given fit.</summary>
    /// <param name="path">The image file.</param>
    /// <param name="resolution">The model's square resolution S.</param>
    /// <param name="fit">How the photo is brought to S×S.</param>
    /// <inheritdoc cref="Load(string, int, ImageLoadOptions)"/>
    public static LoadedImage Load(string path, int resolution, ImageFitMode fit) =>
        Load(path, resolution, new ImageLoadOptions { FitMode = fit });

    /// <summary>
    /// Loads a photo of any supported format as the model's input: decoded (first frame of animations), turned upright
    /// by its EXIF orientation, transparency composited over <see cref="ImageLoadOptions.Background"/>, converted to
    /// 8-bit RGB and fitted to S×S.
    /// </summary>
    /// <param name="path">The image file.</param>
    /// <param name="resolution">The model's square resolution S.</param>
    /// <param name="options">Fit, background, resampler and size limits.</param>
    /// <returns>The float32 CPU tensor <c>[1, 3, S, S]</c> in [-1, 1] and the geometry of the fit; the caller owns it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnsupportedImageException">The file is not an image in a supported format, is corrupt, has zero
    /// size or exceeds the size limits, or the fit is <see cref="ImageFitMode.Exact"/> and the photo is not S×S.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="resolution"/> is not between 1 and
    /// <see cref="MaxResolution"/>.</exception>
    public static LoadedImage Load(string path, int resolution, ImageLoadOptions options)
    {
        TorchRuntime.EnsureInitialized();
        ThrowIfInvalidResolution(resolution);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var photo = Decode(path, options);
        return Fit(photo, resolution, options, $"'{path}'", path);
    }

    /// <summary>Loads a photo from a stream, fitted to S×S with <see cref="ImageFitMode.CenterCrop"/>.</summary>
    /// <inheritdoc cref="Load(Stream, int, ImageLoadOptions)"/>
    public static LoadedImage Load(Stream stream, int resolution) => Load(stream, resolution, ImageLoadOptions.Default);

    /// <summary>Loads a photo from a stream, fitted to S×S with the given fit.</summary>
    /// <param name="stream">The encoded image, read from its current position; not closed.</param>
    /// <param name="resolution">The model's square resolution S.</param>
    /// <param name="fit">How the photo is brought to S×S.</param>
    /// <inheritdoc cref="Load(Stream, int, ImageLoadOptions)"/>
    public static LoadedImage Load(Stream stream, int resolution, ImageFitMode fit) =>
        Load(stream, resolution, new ImageLoadOptions { FitMode = fit });

    /// <summary>Loads a photo from a stream as the model's input; see <see cref="Load(string, int, ImageLoadOptions)"/>.</summary>
    /// <param name="stream">The encoded image, read from its current position; not closed.</param>
    /// <param name="resolution">The model's square resolution S.</param>
    /// <param name="options">Fit, background, resampler and size limits.</param>
    /// <returns>The float32 CPU tensor <c>[1, 3, S, S]</c> in [-1, 1] and the geometry of the fit; the caller owns it.</returns>
    /// <exception cref="UnsupportedImageException">The stream is not an image in a supported format, is corrupt, has
    /// zero size or exceeds the size limits, or the fit is <see cref="ImageFitMode.Exact"/> and the photo is not S×S.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="resolution"/> is not between 1 and
    /// <see cref="MaxResolution"/>.</exception>
    public static LoadedImage Load(Stream stream, int resolution, ImageLoadOptions options)
    {
        TorchRuntime.EnsureInitialized();
        ThrowIfInvalidResolution(resolution);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var photo = Decode(stream, options);
        return Fit(photo, resolution, options, "stream", null);
    }

    /// <summary>
    /// Decodes a photo file to upright 8-bit RGB at its own size, exactly as <see cref="Load(string, int, ImageLoadOptions)"/>
    /// sees it before fitting: the image to paste a result back onto with <see cref="PasteBack(Tensor, Image{Rgb24}, ImageFit, Tensor?)"/>.
    /// </summary>
    /// <param name="path">The image file.</param>
    /// <param name="options">Background and size limits (the fit is not used).</param>
    /// <returns>A new image the caller owns.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnsupportedImageException">The file is not an image in a supported format, is corrupt, has zero
    /// size or exceeds the size limits.</exception>
    public static Image<Rgb24> Decode(string path, ImageLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var rgba = ImageDecoding.DecodeFile(path, options.Limits);
        return AlphaCompositing.Flatten(rgba, options.Background.ToPixel<Rgb24>());
    }

    /// <summary>Decodes a photo from a stream to upright 8-bit RGB at its own size; see
    /// <see cref="Decode(string, ImageLoadOptions)"/>.</summary>
    /// <param name="stream">The encoded image, read from its current position; not closed.</param>
    /// <param name="options">Background and size limits (the fit is not used).</param>
    /// <returns>A new image the caller owns.</returns>
    /// <exception cref="UnsupportedImageException">The stream is not an image in a supported format, is corrupt, has
    /// zero size or exceeds the size limits.</exception>
    public static Image<Rgb24> Decode(Stream stream, ImageLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var rgba = ImageDecoding.Decode(stream, "stream", null, options.Limits);
        return AlphaCompositing.Flatten(rgba, options.Background.ToPixel<Rgb24>());
    }

    /// <summary>
    /// Maps a model result back onto the photo it was fitted from: the visible part of the photo
    /// (<see cref="ImageFit.SourceRectangle"/>, rounded to whole pixels) is replaced by the result's
    /// <see cref="ImageFit.ContentRectangle"/> scaled bicubically to it; the rest of the photo (cropped margins) is kept.
    /// </summary>
    /// <param name="result">The model's output, <c>[1, 3, S, S]</c> or <c>[3, S, S]</c> in [-1, 1].</param>
    /// <param name="photo">The upright photo at <see cref="ImageFit.OriginalSize"/>, e.g. from <see cref="Decode(string, ImageLoadOptions)"/>.
    /// It is not modified.</param>
    /// <param name="fit">The geometry the photo was loaded with.</param>
    /// <returns>A new image of the photo's size the caller owns.</returns>
    /// <exception cref="ArgumentException">The result is not S×S or the photo is not the geometry's original size.</exception>
    public static Image<Rgb24> PasteBack(Tensor result, Image<Rgb24> photo, ImageFit fit) => PasteBack(result, photo, fit, weight: null);

    /// <summary>
    /// Maps a model result back onto the photo it was fitted from, taking only what <paramref name="weight"/> selects:
    /// at every photo pixel of the visible part, <c>w·result + (1 − w)·photo</c>, with the result and the weight scaled
    /// (bicubic and bilinear) from the canvas to the photo. With an edit's region as the weight (e.g.
    /// <c>AdaptedGenerator.EditedRegion</c>), the unedited pixels keep the photo's full resolution and detail.
    /// </summary>
    /// <param name="result">The model's output, <c>[1, 3, S, S]</c> or <c>[3, S, S]</c> in [-1, 1].</param>
    /// <param name="photo">The upright photo at <see cref="ImageFit.OriginalSize"/>; it is not modified.</param>
    /// <param name="fit">The geometry the photo was loaded with.</param>
    /// <param name="weight">How much of the result to take at each canvas pixel, <c>[1, 1, S, S]</c> or <c>[S, S]</c> in
    /// [0, 1]; null takes the result everywhere in the visible part.</param>
    /// <returns>A new image of the photo's size the caller owns.</returns>
    /// <exception cref="ArgumentException">The result or the weight is not S×S, or the photo is not the geometry's
    /// original size.</exception>
    public static Image<Rgb24> PasteBack(Tensor result, Image<Rgb24> photo, ImageFit fit, Tensor? weight)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(fit);
        if (photo.Size() != fit.OriginalSize)
        {
            throw new ArgumentException(
                $"The photo is {photo.Width}×{photo.Height} pixels but the fit was computed for " +
                $"{fit.OriginalSize.Width}×{fit.OriginalSize.Height}.", nameof(photo));
        }

        using var rendered = ToImage(result);
        if (rendered.Width != fit.Resolution || rendered.Height != fit.Resolution)
        {
            throw new ArgumentException(
                $"The result is {rendered.Width}×{rendered.Height} pixels but the fit's resolution is " +
                $"{fit.Resolution}×{fit.Resolution}.", nameof(result));
        }

        var content = fit.ContentRectangle;
        var target = Rectangle.Intersect(Rectangle.Round(fit.SourceRectangle), new Rectangle(Point.Empty, photo.Size()));
        var output = photo.Clone();
        try
        {
            if (target.IsEmpty || content.IsEmpty)
            {
                return output;
            }

            using var patch = rendered.Clone(x =>
            {
                x.Crop(content);
                if (content.Size != target.Size)
                {
                    x.Resize(target.Width, target.Height, KnownResamplers.Bicubic);
                }
            });
            var weights = weight is null ? null : ScaledWeights(weight, fit, content, target.Size);
            output.ProcessPixelRows(patch, (to, from) =>
            {
                for (var y = 0; y < from.Height; y++)
                {
                    var source = from.GetRowSpan(y);
                    var destination = to.GetRowSpan(target.Y + y).Slice(target.X, target.Width);
                    if (weights is null)
                    {
                        source.CopyTo(destination);
                        continue;
                    }

                    var row = weights.AsSpan(y * target.Width, target.Width);
                    for (var x = 0; x < row.Length; x++)
                    {
                        var (w, p, q) = (row[x], source[x], destination[x]);
                        destination[x] = new Rgb24(Blend(p.R, q.R, w), Blend(p.G, q.G, w), Blend(p.B, q.B, w));
                    }
                }
            });
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>The weight map's visible part, scaled bilinearly to the photo's target rectangle, row-major.</summary>
    private static float[] ScaledWeights(Tensor weight, ImageFit fit, Rectangle content, SixLabors.ImageSharp.Size target)
    {
        using var scope = NewDisposeScope();
        var map = weight.detach().to(ScalarType.Float32).cpu();
        if (map.dim() == 2)
        {
            map = map.unsqueeze(0).unsqueeze(0);
        }

        if (map.dim() != 4 || map.shape[0] != 1 || map.shape[1] != 1 || map.shape[2] != fit.Resolution || map.shape[3] != fit.Resolution)
        {
            throw new ArgumentException(
                $"The weight map has shape [{string.Join(", ", map.shape)}]; expected [1, 1, {fit.Resolution}, {fit.Resolution}] or " +
                $"[{fit.Resolution}, {fit.Resolution}].", nameof(weight));
        }

        var visible = map.narrow(2, content.Y, content.Height).narrow(3, content.X, content.Width);
        var scaled = nn.functional.interpolate(visible, [target.Height, target.Width], mode: InterpolationMode.Bilinear, align_corners: false);
        return scaled.clamp(0f, 1f).contiguous().data<float>().ToArray();
    }

    private static byte Blend(byte result, byte photo, float weight) =>
        (byte)Math.Clamp(MathF.Round((weight * result) + ((1 - weight) * photo)), 0, 255);

    /// <summary>Saves an image tensor in the format its extension names (<c>.png</c>, <c>.jpg</c>/<c>.jpeg</c>,
    /// <c>.bmp</c>, and the other formats ImageSharp writes).</summary>
    /// <inheritdoc cref="Save(Tensor, string, IImageEncoder?)"/>
    public static void Save(Tensor tensor, string path) => Save(tensor, path, encoder: null);

    /// <summary>
    /// Saves an image tensor (see <see cref="ToImage"/>) atomically: it is written to a temporary file in the same
    /// directory and renamed over <paramref name="path"/> only when complete, so a failure never leaves a partial file.
    /// </summary>
    /// <param name="tensor">The image, <c>[1, 3, H, W]</c> or <c>[3, H, W]</c> in [-1, 1].</param>
    /// <param name="path">The file to write; replaced if it exists.</param>
    /// <param name="encoder">The encoder; null chooses one from the extension (JPEG at quality 95).</param>
    /// <exception cref="ArgumentException">The tensor is not an image, or no encoder is given and the extension is not
    /// that of a writable format.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory of <paramref name="path"/> does not exist.</exception>
    public static void Save(Tensor tensor, string path, IImageEncoder? encoder)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        encoder ??= EncoderFor(path);
        using var image = ToImage(tensor);
        Save(image, path, encoder);
    }

    /// <summary>
    /// Saves an image (e.g. from <see cref="PasteBack(Tensor, Image{Rgb24}, ImageFit, Tensor?)"/>) atomically, in the
    /// format <paramref name="encoder"/> or the extension names; see <see cref="Save(Tensor, string, IImageEncoder?)"/>.
    /// </summary>
    /// <param name="image">The image; not disposed.</param>
    /// <param name="path">The file to write; replaced if it exists.</param>
    /// <param name="encoder">The encoder; null chooses one from the extension (JPEG at quality 95).</param>
    /// <exception cref="ArgumentException">No encoder is given and the extension is not that of a writable format.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory of <paramref name="path"/> does not exist.</exception>
    public static void Save(Image<Rgb24> image, string path, IImageEncoder? encoder = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        encoder ??= EncoderFor(path);
        AtomicFile.Write(path, stream => image.Save(stream, encoder));
    }

    /// <summary>Saves an image tensor atomically in the format its extension names.</summary>
    /// <inheritdoc cref="SaveAsync(Tensor, string, IImageEncoder?, CancellationToken)"/>
    public static Task SaveAsync(Tensor tensor, string path, CancellationToken cancellationToken = default) =>
        SaveAsync(tensor, path, encoder: null, cancellationToken);

    /// <summary>
    /// Saves an image tensor atomically; see <see cref="Save(Tensor, string, IImageEncoder?)"/>. Cancellation leaves
    /// <paramref name="path"/> untouched and no temporary file behind.
    /// </summary>
    /// <param name="tensor">The image, <c>[1, 3, H, W]</c> or <c>[3, H, W]</c> in [-1, 1].</param>
    /// <param name="path">The file to write; replaced if it exists.</param>
    /// <param name="encoder">The encoder; null chooses one from the extension (JPEG at quality 95).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    /// <exception cref="ArgumentException">The tensor is not an image, or no encoder is given and the extension is not
    /// that of a writable format.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory of <paramref name="path"/> does not exist.</exception>
    /// <exception cref="OperationCanceledException">The write was cancelled.</exception>
    public static async Task SaveAsync(Tensor tensor, string path, IImageEncoder? encoder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        encoder ??= EncoderFor(path);
        using var image = ToImage(tensor);
        await AtomicFile.WriteAsync(path, (stream, token) => image.SaveAsync(stream, encoder, token), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Refuses a model resolution that is not a positive, sane number of pixels.</summary>
    internal static void ThrowIfInvalidResolution(int resolution, string parameterName = "resolution")
    {
        if (resolution <= 0 || resolution > MaxResolution)
        {
            throw new ArgumentOutOfRangeException(parameterName, resolution,
                $"The model resolution S must be a positive number of pixels no larger than {MaxResolution}, got {resolution}.");
        }
    }

    internal static string FormatShape(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    internal static bool IsFloatingPoint(ScalarType type) =>
        type is ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16;

    private static LoadedImage Fit(Image<Rgb24> photo, int resolution, ImageLoadOptions options, string description, string? source)
    {
        var fit = ImageFit.Compute(photo.Size(), resolution, options.FitMode, description, source);
        using var fitted = PhotoFitting.Apply(photo, fit, options.Resampler, options.Background.ToPixel<Rgb24>());
        return new LoadedImage(ModelPhoto.Own(FromImage(fitted)), fit);
    }

    private static IImageEncoder EncoderFor(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var extension = Path.GetExtension(path).TrimStart('.');
        var manager = Configuration.Default.ImageFormatsManager;
        var format = extension.Length == 0 ? null : manager.FindFormatByFileExtension(extension);
        var encoder = format is null ? null : manager.FindEncoder(format);
        return encoder switch
        {
            // ImageSharp's default quality (75) visibly degrades edited detail; results deserve better.
            JpegEncoder => new JpegEncoder { Quality = 95 },
            not null => encoder,
            null => throw new ArgumentException(
                $"Cannot choose an image format for '{path}' from its extension '{Path.GetExtension(path)}'; use one of " +
                string.Join(", ", manager.ImageFormats.SelectMany(f => f.FileExtensions).Select(e => "." + e).Order(StringComparer.Ordinal)) +
                " or pass an encoder.", nameof(path)),
        };
    }

    private static byte UnitToByte(float value)
    {
        // Same float32 operations, in the same order, as the PyTorch reference ((x + 1) / 2 * 255, then floor(v + 0.5)),
        // so that results match byte for byte.
        var scaled = (value + 1f) / 2f * 255f;
        var rounded = MathF.Floor(scaled + 0.5f);
        return rounded <= 0f ? (byte)0 : rounded >= 255f ? (byte)255 : (byte)rounded;
    }

    private static float[] BuildByteToUnit()
    {
        var table = new float[256];
        for (var v = 0; v < table.Length; v++)
        {
            table[v] = v / 255f * 2f - 1f;
        }

        return table;
    }
}
