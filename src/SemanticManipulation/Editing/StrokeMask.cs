using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Imaging;
using SemanticManipulation.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Editing;

/// <summary>
/// A painted region at image resolution (one stroke's, or the union of an edit's strokes): an immutable S×S plane of
/// values in [0, 1] (1 = edit) with at least one painted pixel, checked once when it is made and held in managed memory
/// so that strokes can be kept, compared, undone and serialized without owning native tensors.
/// </summary>
public sealed class StrokeMask
{
    private readonly float[] _values;

    private StrokeMask(int size, float[] values, IReadOnlyList<string> notes)
    {
        Size = size;
        _values = values;
        Notes = notes;
        Coverage = values.Count(v => v > 0) / (double)values.Length;
        Area = values.Sum(v => (double)v) / values.Length;
    }

    /// <summary>The side S of the square mask, in pixels (the generator's resolution).</summary>
    public int Size { get; }

    /// <summary>The values, row-major, S·S of them, in [0, 1].</summary>
    public ReadOnlyMemory<float> Values => _values;

    /// <summary>The fraction of pixels the stroke touches (value above 0).</summary>
    public double Coverage { get; }

    /// <summary>The mean value: the painted area as a fraction of the canvas, soft edges counted by their weight.</summary>
    public double Area { get; }

    /// <summary>What was done to the mask on the way in (e.g. a resize), for the user.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>
    /// Validates a painted mask for a generator of side <paramref name="resolution"/>: shape <c>[1, 1, H, W]</c> or
    /// <c>[H, W]</c>, floating point or boolean, values in [0, 1], at least one painted pixel. A square mask of another
    /// size is resized (area-averaged when shrinking, bilinear when growing) with a note; a mask of another aspect ratio is
    /// refused, because only the photo's geometry can place it (<see cref="EditMask.Load(string, ImageFit)"/>).
    /// </summary>
    /// <param name="mask">The mask; not modified.</param>
    /// <param name="resolution">The generator's resolution S.</param>
    /// <param name="logger">Receives a warning when the mask is resized.</param>
    /// <exception cref="ArgumentException">The mask is empty, not square, or not a mask; the message says which.</exception>
    public static StrokeMask FromTensor(Tensor mask, int resolution, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ImageTensor.ThrowIfInvalidResolution(resolution);
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var values = EditMask.FromTensor(mask).cpu();
        var (height, width) = (values.shape[2], values.shape[3]);
        var notes = new List<string>();
        if (height != width)
        {
            throw new ArgumentException(
                $"The mask is {width}×{height} pixels, not square like the model's {resolution}×{resolution} canvas. " +
                "Load a mask drawn over the photo with EditMask.Load(path, photo.Fit) so it gets the photo's crop or letterbox.",
                nameof(mask));
        }

        if (height != resolution)
        {
            var mode = height > resolution ? InterpolationMode.Area : InterpolationMode.Bilinear;
            values = nn.functional.interpolate(values, [resolution, resolution], mode: mode,
                align_corners: mode == InterpolationMode.Bilinear ? false : null).clamp(0, 1);
            var note = $"The mask was {width}×{height} pixels; it was resized to the model's {resolution}×{resolution}.";
            notes.Add(note);
            if (logger is not null)
            {
                Log.MaskResized(logger, note);
            }
        }

        var data = values.contiguous().data<float>().ToArray();
        if (!data.Any(v => v > 0))
        {
            throw new ArgumentException("The mask is empty (no painted pixel): paint the region to edit.", nameof(mask));
        }

        return new StrokeMask(resolution, data, notes.AsReadOnly());
    }

    /// <summary>Creates a mask from row-major values.</summary>
    /// <param name="size">The side S.</param>
    /// <param name="values">S·S values in [0, 1]; copied.</param>
    /// <exception cref="ArgumentException">The count is not S·S, a value is outside [0, 1], or nothing is painted.</exception>
    public static StrokeMask FromValues(int size, ReadOnlySpan<float> values)
    {
        ImageTensor.ThrowIfInvalidResolution(size, nameof(size));
        if (values.Length != size * size)
        {
            throw new ArgumentException($"A {size}×{size} mask needs {size * size} values; got {values.Length}.", nameof(values));
        }

        var copy = values.ToArray();
        foreach (var v in copy)
        {
            if (!(v >= 0f && v <= 1f))
            {
                throw new ArgumentException($"Mask values must lie in [0, 1] (1 = edit); found {v}.", nameof(values));
            }
        }

        if (!copy.Any(v => v > 0))
        {
            throw new ArgumentException("The mask is empty (no painted pixel): paint the region to edit.", nameof(values));
        }

        return new StrokeMask(size, copy, []);
    }

    /// <summary>The largest value per pixel of masks of one size: their union. Valid masks make a valid union, so it is
    /// not checked again.</summary>
    internal static StrokeMask Union(IEnumerable<StrokeMask> masks)
    {
        float[]? union = null;
        var size = 0;
        foreach (var mask in masks)
        {
            if (union is null)
            {
                (size, union) = (mask.Size, mask._values.ToArray());
                continue;
            }

            if (mask.Size != size)
            {
                throw new ArgumentException($"Cannot unite a {mask.Size}×{mask.Size} mask with {size}×{size} ones.", nameof(masks));
            }

            for (var p = 0; p < union.Length; p++)
            {
                union[p] = Math.Max(union[p], mask._values[p]);
            }
        }

        return union is null ? throw new ArgumentException("No mask to unite.", nameof(masks)) : new StrokeMask(size, union, []);
    }

    /// <summary>The mask as a new float32 tensor <c>[1, 1, S, S]</c> the caller owns.</summary>
    /// <param name="device">Where to put it; null for the CPU.</param>
    public Tensor ToTensor(Device? device = null)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        // Cloned so that the caller's tensor never aliases this immutable plane.
        var values = tensor(_values, [1, 1, Size, Size], ScalarType.Float32).clone();
        return (device is null ? values : values.to(device)).MoveToOuterDisposeScope();
    }

    /// <summary>The values as base64 of deflated little-endian float32 (painted masks are mostly 0 and 1, so they
    /// compress to a few hundred bytes).</summary>
    internal string Encode()
    {
        var bytes = new byte[_values.Length * sizeof(float)];
        for (var i = 0; i < _values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), _values[i]);
        }

        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(bytes);
        }

        return Convert.ToBase64String(output.ToArray());
    }

    /// <summary>Reverses <see cref="Encode"/>.</summary>
    /// <exception cref="InvalidDataException">The text does not decode to S·S valid values.</exception>
    internal static StrokeMask Decode(int size, string encoded, IReadOnlyList<string>? notes)
    {
        try
        {
            using var input = new MemoryStream(Convert.FromBase64String(encoded));
            using var deflate = new DeflateStream(input, CompressionMode.Decompress);
            using var bytes = new MemoryStream();
            deflate.CopyTo(bytes);
            var raw = bytes.ToArray();
            if (raw.Length != size * size * sizeof(float))
            {
                throw new InvalidDataException($"A {size}×{size} mask needs {size * size * sizeof(float)} bytes; the stored one has {raw.Length}.");
            }

            var values = new float[size * size];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(i * sizeof(float)));
            }

            var mask = FromValues(size, values);
            return notes is { Count: > 0 } ? new StrokeMask(size, mask._values, notes.ToArray()) : mask;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new InvalidDataException($"A stored stroke mask is corrupt: {ex.Message}", ex);
        }
    }
}
