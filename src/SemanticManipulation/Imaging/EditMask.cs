using SemanticManipulation.Runtime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Imaging;

/// <summary>
/// Edit masks: float32 tensors <c>[1, 1, S, S]</c> with values in [0, 1], 1 where the user painted (the region to
/// edit). Reads mask images fitted with the same geometry as their photo, validates host-made mask tensors and
/// rasterizes simple shapes.
/// </summary>
/// <remarks>
/// A mask image is read as its alpha channel (alpha / 255) when any pixel is not fully opaque, so strokes painted on a
/// transparent layer work; otherwise as dark strokes on white (1 − luminance / 255, BT.709 weights as ImageSharp uses).
/// It may be drawn directly on the model's S×S canvas (used as is), or at the photo's size or any size of the same
/// aspect ratio, e.g. over a preview (fitted with the photo's geometry; letterbox stays 0).
/// </remarks>
public static class EditMask
{
    /// <summary>Loads a mask image fitted like its photo, keeping soft values.</summary>
    /// <inheritdoc cref="Load(string, ImageFit, EditMaskOptions)"/>
    public static Tensor Load(string path, ImageFit fit) => Load(path, fit, EditMaskOptions.Default);

    /// <summary>Loads a mask image file fitted to the model with the photo's geometry.</summary>
    /// <param name="path">The mask image file, in any supported format.</param>
    /// <param name="fit">The photo's geometry, from <see cref="LoadedImage.Fit"/>.</param>
    /// <param name="options">Threshold, resampling and size limits.</param>
    /// <returns>A new float32 CPU tensor <c>[1, 1, S, S]</c> in [0, 1] the caller owns.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnsupportedImageException">The file is not a readable image of acceptable size, or its size
    /// matches neither the photo's aspect ratio nor the model's S×S.</exception>
    public static Tensor Load(string path, ImageFit fit, EditMaskOptions options)
    {
        TorchRuntime.EnsureInitialized();
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var image = ImageDecoding.DecodeFile(path, options.Limits);
        return Fit(image, fit, options, $"'{path}'", path);
    }

    /// <summary>Loads a mask image from a stream fitted to the model with the photo's geometry; see
    /// <see cref="Load(string, ImageFit, EditMaskOptions)"/>.</summary>
    /// <param name="stream">The encoded mask image, read from its current position; not closed.</param>
    /// <param name="fit">The photo's geometry, from <see cref="LoadedImage.Fit"/>.</param>
    /// <param name="options">Threshold, resampling and size limits.</param>
    /// <returns>A new float32 CPU tensor <c>[1, 1, S, S]</c> in [0, 1] the caller owns.</returns>
    /// <exception cref="UnsupportedImageException">The stream is not a readable image of acceptable size, or its size
    /// matches neither the photo's aspect ratio nor the model's S×S.</exception>
    public static Tensor Load(Stream stream, ImageFit fit, EditMaskOptions options)
    {
        TorchRuntime.EnsureInitialized();
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var image = ImageDecoding.Decode(stream, "stream", null, options.Limits);
        return Fit(image, fit, options, "stream", null);
    }

    /// <summary>Converts an in-memory mask image (e.g. a host's drawing layer), keeping soft values.</summary>
    /// <inheritdoc cref="FromImage(Image{Rgba32}, ImageFit, EditMaskOptions)"/>
    public static Tensor FromImage(Image<Rgba32> image, ImageFit fit) => FromImage(image, fit, EditMaskOptions.Default);

    /// <summary>Converts an in-memory, upright mask image (e.g. a host's drawing layer) fitted with the photo's
    /// geometry; read as described on <see cref="EditMask"/>.</summary>
    /// <param name="image">The mask image; not modified.</param>
    /// <param name="fit">The photo's geometry, from <see cref="LoadedImage.Fit"/>.</param>
    /// <param name="options">Threshold and resampling (the size limits are not used).</param>
    /// <returns>A new float32 CPU tensor <c>[1, 1, S, S]</c> in [0, 1] the caller owns.</returns>
    /// <exception cref="UnsupportedImageException">The image's size matches neither the photo's aspect ratio nor the
    /// model's S×S.</exception>
    public static Tensor FromImage(Image<Rgba32> image, ImageFit fit, EditMaskOptions options)
    {
        TorchRuntime.EnsureInitialized();
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Fit(image, fit, options, "image", null);
    }

    /// <summary>Validates a host-made mask tensor of any size; see <see cref="FromTensor(Tensor, int)"/>.</summary>
    /// <param name="mask">The mask, <c>[1, 1, H, W]</c> or <c>[H, W]</c>, floating point or boolean, values in [0, 1].</param>
    /// <returns>A new float32 tensor <c>[1, 1, H, W]</c> on the mask's device the caller owns; the input is unchanged.</returns>
    /// <exception cref="ArgumentException">The shape, type or values are not a mask's; the message says which.</exception>
    public static Tensor FromTensor(Tensor mask) => FromTensor(mask, resolution: null);

    /// <summary>
    /// Validates a host-made mask tensor: shape <c>[1, 1, S, S]</c> or <c>[S, S]</c>, floating point or boolean, no
    /// NaN, values in [0, 1]. Returns it as a float32 <c>[1, 1, S, S]</c> copy.
    /// </summary>
    /// <param name="mask">The mask.</param>
    /// <param name="resolution">The model resolution S the mask must have.</param>
    /// <returns>A new float32 tensor <c>[1, 1, S, S]</c> on the mask's device the caller owns; the input is unchanged.</returns>
    /// <exception cref="ArgumentException">The shape, type, size or values are not a mask's; the message says which.</exception>
    public static Tensor FromTensor(Tensor mask, int resolution)
    {
        ImageTensor.ThrowIfInvalidResolution(resolution);
        return FromTensor(mask, (int?)resolution);
    }

    /// <summary>Rasterizes an axis-aligned rectangle (clipped to the canvas) as a binary mask.</summary>
    /// <param name="resolution">The canvas side S.</param>
    /// <param name="x">Left column of the rectangle; may lie outside the canvas.</param>
    /// <param name="y">Top row of the rectangle; may lie outside the canvas.</param>
    /// <param name="width">Width in pixels, not negative.</param>
    /// <param name="height">Height in pixels, not negative.</param>
    /// <returns>A new float32 CPU tensor <c>[1, 1, S, S]</c>: 1 inside the rectangle, 0 elsewhere.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The resolution is not positive or a side is negative.</exception>
    public static Tensor Rectangle(int resolution, int x, int y, int width, int height)
    {
        TorchRuntime.EnsureInitialized();
        ImageTensor.ThrowIfInvalidResolution(resolution);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);

        var data = new float[resolution * resolution];
        var area = SixLabors.ImageSharp.Rectangle.Intersect(
            new SixLabors.ImageSharp.Rectangle(x, y, width, height),
            new SixLabors.ImageSharp.Rectangle(0, 0, resolution, resolution));
        for (var row = area.Top; row < area.Bottom; row++)
        {
            data.AsSpan((row * resolution) + area.Left, area.Width).Fill(1f);
        }

        return ToTensor(data, resolution, resolution);
    }

    /// <summary>Rasterizes a disc as a binary mask: pixel (x, y) is inside when its distance from the centre, in pixel
    /// indices, is at most the radius (so a radius of 0 marks the single centre pixel).</summary>
    /// <param name="resolution">The canvas side S.</param>
    /// <param name="centerX">Column of the centre; may lie outside the canvas.</param>
    /// <param name="centerY">Row of the centre; may lie outside the canvas.</param>
    /// <param name="radius">Radius in pixels, not negative.</param>
    /// <returns>A new float32 CPU tensor <c>[1, 1, S, S]</c>: 1 inside the disc, 0 elsewhere.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The resolution is not positive, or the radius is negative or a
    /// coordinate is not finite.</exception>
    public static Tensor Circle(int resolution, float centerX, float centerY, float radius)
    {
        TorchRuntime.EnsureInitialized();
        ImageTensor.ThrowIfInvalidResolution(resolution);
        if (!float.IsFinite(centerX) || !float.IsFinite(centerY))
        {
            throw new ArgumentOutOfRangeException(nameof(centerX), $"The circle's centre ({centerX}, {centerY}) must be finite.");
        }

        if (!(radius >= 0f) || !float.IsFinite(radius))
        {
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "The circle's radius must be a finite, non-negative number.");
        }

        var data = new float[resolution * resolution];
        var squared = (double)radius * radius;
        var top = Math.Max(0, (int)Math.Ceiling(centerY - radius));
        var bottom = Math.Min(resolution - 1, (int)Math.Floor(centerY + radius));
        for (var row = top; row <= bottom; row++)
        {
            var dy = row - (double)centerY;
            var half = Math.Sqrt(Math.Max(0, squared - (dy * dy)));
            var left = Math.Max(0, (int)Math.Ceiling(centerX - half));
            var right = Math.Min(resolution - 1, (int)Math.Floor(centerX + half));
            if (right >= left)
            {
                data.AsSpan((row * resolution) + left, right - left + 1).Fill(1f);
            }
        }

        return ToTensor(data, resolution, resolution);
    }

    private static Tensor FromTensor(Tensor mask, int? resolution)
    {
        TorchRuntime.EnsureInitialized();
        ArgumentNullException.ThrowIfNull(mask);
        var shape = mask.shape;
        var isMask = (shape.Length == 4 && shape[0] == 1 && shape[1] == 1) || shape.Length == 2;
        if (!isMask || shape[^1] <= 0 || shape[^2] <= 0)
        {
            throw new ArgumentException(
                $"Expected a mask tensor of shape [1, 1, H, W] or [H, W] with H, W > 0, got {ImageTensor.FormatShape(shape)}.",
                nameof(mask));
        }

        long height = shape[^2], width = shape[^1];
        if (resolution is { } s && (height != s || width != s))
        {
            throw new ArgumentException(
                $"Expected a mask of the model's resolution {s}×{s}, got {height}×{width} (shape {ImageTensor.FormatShape(shape)}).",
                nameof(mask));
        }

        if (!ImageTensor.IsFloatingPoint(mask.dtype) && mask.dtype != ScalarType.Bool)
        {
            throw new ArgumentException(
                $"Expected a floating-point (or boolean) mask tensor with values in [0, 1], got {mask.dtype}.", nameof(mask));
        }

        using var scope = torch.NewDisposeScope();
        var values = mask.detach().to(ScalarType.Float32).reshape(1, 1, height, width);
        if (values.isnan().any().item<bool>())
        {
            throw new ArgumentException(
                $"The mask tensor contains NaN ({values.isnan().sum().item<long>()} of {height * width} values).", nameof(mask));
        }

        var minimum = values.min().item<float>();
        var maximum = values.max().item<float>();
        if (minimum < 0f || maximum > 1f)
        {
            throw new ArgumentException(
                $"The mask tensor's values must lie in [0, 1] (1 = edit), but they range from {minimum} to {maximum}.", nameof(mask));
        }

        return values.clone().MoveToOuterDisposeScope();
    }

    private static Tensor Fit(Image<Rgba32> image, ImageFit fit, EditMaskOptions options, string description, string? source)
    {
        var resolution = fit.Resolution;
        var plane = ReadPlane(image);
        float[] fitted;
        if (image.Width == resolution && image.Height == resolution)
        {
            // Drawn directly on the model's canvas: already in place. (For a square photo both readings coincide.)
            fitted = plane;
        }
        else if (SameAspect(image.Width, image.Height, fit.OriginalSize.Width, fit.OriginalSize.Height))
        {
            fitted = MaskResampler.Resample(plane, image.Width, image.Height, fit, options.Resampling);
        }
        else
        {
            throw new UnsupportedImageException(source ?? description,
                $"The mask {description} is {image.Width}×{image.Height} pixels, which matches neither the photo's " +
                $"{fit.OriginalSize.Width}×{fit.OriginalSize.Height} (or its aspect ratio) nor the model's " +
                $"{resolution}×{resolution}; draw the mask over the photo or over the fitted image.");
        }

        if (options.Threshold is { } threshold)
        {
            for (var i = 0; i < fitted.Length; i++)
            {
                fitted[i] = fitted[i] >= threshold ? 1f : 0f;
            }
        }

        return ToTensor(fitted, resolution, resolution);
    }

    /// <summary>The mask value of every pixel, row-major: alpha when the image has any transparency, else darkness.</summary>
    private static float[] ReadPlane(Image<Rgba32> image)
    {
        var width = image.Width;
        var plane = new float[width * image.Height];
        var hasAlpha = false;
        image.ProcessPixelRows(pixels =>
        {
            for (var y = 0; y < pixels.Height && !hasAlpha; y++)
            {
                foreach (var p in pixels.GetRowSpan(y))
                {
                    if (p.A != 255)
                    {
                        hasAlpha = true;
                        break;
                    }
                }
            }

            for (var y = 0; y < pixels.Height; y++)
            {
                var row = pixels.GetRowSpan(y);
                var values = plane.AsSpan(y * width, width);
                for (var x = 0; x < row.Length; x++)
                {
                    var p = row[x];
                    values[x] = hasAlpha
                        ? p.A / 255f
                        // Integer weights make grey v give exactly v, so white is exactly 0 and black exactly 1.
                        : 1f - (float)(((2126 * p.R) + (7152 * p.G) + (722 * p.B)) / (10000.0 * 255.0));
                }
            }
        });
        return plane;
    }

    /// <summary>True when a w×h mask could be the photo W×H drawn at another scale (each side off by rounding only).</summary>
    private static bool SameAspect(int width, int height, int photoWidth, int photoHeight) =>
        Math.Abs(((long)width * photoHeight) - ((long)height * photoWidth)) <= Math.Max(photoWidth, photoHeight);

    private static Tensor ToTensor(float[] data, int height, int width)
    {
        using var scope = torch.NewDisposeScope();
        return torch.tensor(data, [1, 1, height, width]).MoveToOuterDisposeScope();
    }
}
