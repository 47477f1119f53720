using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SemanticManipulation.Training.World.Rendering;

/// <summary>
/// A supersampled colour buffer plus a pixel-resolution label buffer that shapes are painted into back to front.
/// </summary>
/// <remarks>
/// <para>Colours are sampled four times per pixel in the "n-rooks" (rotated grid) pattern: every pixel has one sample on
/// each of four sub-rows, at x offsets 3/8, 7/8, 1/8 and 5/8. Each sub-row therefore has one sample per pixel, which keeps
/// the fill loop a plain row scan while still resolving near-horizontal and near-vertical edges into five levels.</para>
/// <para>Labels are sampled once per pixel, at its centre, so a pixel's label is whatever surface is visible there.</para>
/// </remarks>
internal sealed class SampleCanvas
{
    /// <summary>Passed as the label to paint colour only (shadows, glows) and keep the labels already there.</summary>
    public const byte KeepLabel = byte.MaxValue;

    private const int SubRows = 4;
    private static readonly float[] SubRowOffsets = [0.375f, 0.875f, 0.125f, 0.625f];
    private readonly float[] _colors;
    private readonly byte[] _labels;
    private readonly int _sampleRows;
    private readonly float _inverseSize;

    public SampleCanvas(int size)
    {
        Size = size;
        _sampleRows = size * SubRows;
        _inverseSize = 1f / size;
        _colors = new float[3 * _sampleRows * size];
        _labels = new byte[size * size];
    }

    /// <summary>The side of the square image in pixels.</summary>
    public int Size { get; }

    /// <summary>Paints the samples inside <paramref name="shape"/> with <paramref name="material"/> and, unless
    /// <paramref name="label"/> is <see cref="KeepLabel"/>, labels the pixels whose centre is inside.</summary>
    public void Fill<TShape, TMaterial>(in TShape shape, in TMaterial material, byte label)
        where TShape : struct, IShape
        where TMaterial : struct, IMaterial
    {
        Bounds b = shape.Bounds;
        if (!(b.Right > 0f && b.Left < 1f && b.Bottom > 0f && b.Top < 1f))
        {
            return;
        }

        // Clamped before the float-to-int conversions so that huge or unbounded boxes cannot overflow them.
        b = new Bounds(MathF.Max(b.Left, -1f), MathF.Max(b.Top, -1f), MathF.Min(b.Right, 2f), MathF.Min(b.Bottom, 2f));

        int size = Size;
        float inv = _inverseSize;
        float rowHeight = 1f / _sampleRows;
        int c0 = Math.Max(0, (int)(b.Left * size) - 1);
        int c1 = Math.Min(size - 1, (int)(b.Right * size) + 1);
        int r0 = Math.Max(0, (int)(b.Top * _sampleRows) - 1);
        int r1 = Math.Min(_sampleRows - 1, (int)(b.Bottom * _sampleRows) + 1);
        // A private copy, so that materials can cache per-row work in their own fields.
        TMaterial rowMaterial = material;
        ref float colors = ref MemoryMarshal.GetArrayDataReference(_colors);
        for (int r = r0; r <= r1; r++)
        {
            float y = (r + 0.5f) * rowHeight;
            float offset = SubRowOffsets[r & (SubRows - 1)];
            rowMaterial.BeginRow(y);

            // The column and row ranges are clamped to the buffer above, so the unchecked access stays inside it.
            ref float sample = ref Unsafe.Add(ref colors, 3 * ((r * size) + c0));
            for (int c = c0; c <= c1; c++, sample = ref Unsafe.Add(ref sample, 3))
            {
                float x = (c + offset) * inv;
                if (shape.Contains(x, y))
                {
                    Rgb under = new(sample, Unsafe.Add(ref sample, 1), Unsafe.Add(ref sample, 2));
                    Rgb color = rowMaterial.Shade(x, y, under);
                    sample = color.R;
                    Unsafe.Add(ref sample, 1) = color.G;
                    Unsafe.Add(ref sample, 2) = color.B;
                }
            }
        }

        if (label == KeepLabel)
        {
            return;
        }

        int p0 = Math.Max(0, (int)(b.Top * size) - 1);
        int p1 = Math.Min(size - 1, (int)(b.Bottom * size) + 1);
        byte[] labels = _labels;
        for (int py = p0; py <= p1; py++)
        {
            float y = (py + 0.5f) * inv;
            for (int px = c0; px <= c1; px++)
            {
                if (shape.Contains((px + 0.5f) * inv, y))
                {
                    labels[(py * size) + px] = label;
                }
            }
        }
    }

    /// <summary>Averages each pixel's samples, applies the photographic finish and writes RGB bytes (row-major, HWC)
    /// and the label bytes.</summary>
    public void Resolve(in PhotoFinish finish, Span<byte> rgb, Span<byte> labels)
    {
        int size = Size;
        float[] colors = _colors;
        int rowStride = 3 * size;
        float inv = _inverseSize;
        for (int py = 0; py < size; py++)
        {
            float vy = ((py + 0.5f) * inv) - 0.5f;
            for (int px = 0; px < size; px++)
            {
                int s = 3 * ((py * SubRows * size) + px);
                float r = 0f, g = 0f, bl = 0f;
                for (int k = 0; k < SubRows; k++, s += rowStride)
                {
                    r += colors[s];
                    g += colors[s + 1];
                    bl += colors[s + 2];
                }

                float vx = ((px + 0.5f) * inv) - 0.5f;
                float light = finish.Exposure * 0.25f * (1f - (finish.Vignette * ((vx * vx) + (vy * vy))));
                Rgb c = new Rgb(r * light, g * light, bl * light).Saturate(finish.Saturation);
                float grain = finish.Grain * Hash.Gaussian(px, py, finish.GrainSalt);
                float tint = finish.Grain * 0.35f;
                int o = 3 * ((py * size) + px);
                rgb[o] = ToByte(Curve(c.R, finish.Contrast) + grain + (tint * Hash.Gaussian(px, py, finish.GrainSalt + 1u)));
                rgb[o + 1] = ToByte(Curve(c.G, finish.Contrast) + grain);
                rgb[o + 2] = ToByte(Curve(c.B, finish.Contrast) + grain + (tint * Hash.Gaussian(px, py, finish.GrainSalt + 2u)));
            }
        }

        _labels.AsSpan(0, size * size).CopyTo(labels);
    }

    private static float Curve(float v, float contrast) => 0.5f + ((v - 0.5f) * contrast);

    private static byte ToByte(float v) => (byte)Math.Clamp((int)((v * 255f) + 0.5f), 0, 255);
}
