using SemanticManipulation.Runtime;
using SemanticManipulation.Training.Imaging;
using SemanticManipulation.Training.World.Layout;
using SemanticManipulation.Training.World.Painting;
using SemanticManipulation.Training.World.Rendering;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;

namespace SemanticManipulation.Training.World;

/// <summary>
/// A procedural world of church-like outdoor scenes with per-pixel labels, used to train the SDK's default model.
/// </summary>
/// <remarks>
/// <para>A seed fully determines a scene (sky, clouds, hills, meadow, path, buildings with brick or stone walls,
/// roofs, domes, towers, doors and windows, trees of several kinds and seasons, lighting and camera finish). The scene
/// does not depend on the image size, and rendering uses only integer hashing and IEEE float arithmetic (no
/// <see cref="System.Random"/>, no platform trigonometry), so the same seed gives the same bytes on every machine and
/// .NET version.</para>
/// <para>Colours are anti-aliased with four samples per pixel; each pixel's label is the surface visible at its centre
/// (see <see cref="SceneLabel"/>). Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class SceneWorld
{
    /// <summary>The smallest supported image size in pixels.</summary>
    public const int MinSize = 16;

    /// <summary>The largest supported image size in pixels.</summary>
    public const int MaxSize = 512;

    // One canvas per thread, reused while the size stays the same: rendering allocates nothing per image otherwise.
    [ThreadStatic]
    private static SampleCanvas? _canvas;

    private readonly SceneWorldOptions _options;

    /// <summary>Creates a world with the given distribution knobs (the defaults when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public SceneWorld(SceneWorldOptions? options = null)
    {
        _options = (options ?? new SceneWorldOptions()).Clone();
        _options.Validate();
    }

    /// <summary>The world's distribution knobs, as one line of JSON.</summary>
    public string Describe() => System.Text.Json.JsonSerializer.Serialize(_options);

    /// <summary>Renders the scene of <paramref name="seed"/> at <paramref name="size"/>×<paramref name="size"/> pixels.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is outside [<see cref="MinSize"/>, <see cref="MaxSize"/>].</exception>
    public SceneSample Render(long seed, int size)
    {
        CheckSize(size);
        var rgb = new byte[3 * size * size];
        var labels = new byte[size * size];
        RenderInto(seed, size, rgb, labels);
        return new SceneSample(seed, size, rgb, labels);
    }

    /// <summary>Renders the scene of <paramref name="seed"/> into caller-provided buffers: RGB bytes row-major (HWC)
    /// and one label byte per pixel.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is out of range.</exception>
    /// <exception cref="ArgumentException">A buffer is smaller than the image.</exception>
    public void RenderInto(long seed, int size, Span<byte> rgb, Span<byte> labels)
    {
        CheckSize(size);
        if (rgb.Length < 3 * size * size)
        {
            throw new ArgumentException($"The RGB buffer must hold at least {3 * size * size} bytes for size {size}.", nameof(rgb));
        }

        if (labels.Length < size * size)
        {
            throw new ArgumentException($"The label buffer must hold at least {size * size} bytes for size {size}.", nameof(labels));
        }

        ScenePlan plan = SceneComposer.Compose(seed, _options);
        SampleCanvas canvas = _canvas is { } c && c.Size == size ? c : (_canvas = new SampleCanvas(size));
        ScenePainter.Paint(plan, canvas);
        canvas.Resolve(plan.Finish, rgb, labels);
    }

    /// <summary>
    /// Renders the scenes of seeds <paramref name="firstSeed"/> … <paramref name="firstSeed"/> + <paramref name="count"/> − 1
    /// in parallel into training tensors (on the CPU): images float32 [N, 3, S, S] with each byte v mapped to
    /// v / 255 · 2 − 1, and labels int64 [N, S, S].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive or <paramref name="size"/>
    /// is out of range.</exception>
    public SceneBatch RenderBatch(long firstSeed, int count, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        CheckSize(size);
        int pixels = size * size;
        var images = new float[(long)count * 3 * pixels];
        var labels = new long[(long)count * pixels];
        Parallel.For(0, count, () => (Rgb: new byte[3 * pixels], Labels: new byte[pixels]), (i, _, buffers) =>
        {
            RenderInto(firstSeed + i, size, buffers.Rgb, buffers.Labels);
            long imageOffset = (long)i * 3 * pixels;
            for (int p = 0; p < pixels; p++)
            {
                for (int ch = 0; ch < 3; ch++)
                {
                    images[imageOffset + ((long)ch * pixels) + p] = ToUnitRange(buffers.Rgb[(3 * p) + ch]);
                }
            }

            long labelOffset = (long)i * pixels;
            for (int p = 0; p < pixels; p++)
            {
                labels[labelOffset + p] = buffers.Labels[p];
            }

            return buffers;
        }, static _ => { });

        TorchRuntime.EnsureInitialized();
        torch.Tensor imageTensor = torch.tensor(images, [count, 3, size, size]);
        try
        {
            return new SceneBatch(firstSeed, count, size, imageTensor, torch.tensor(labels, [count, size, size]));
        }
        catch
        {
            imageTensor.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes a PNG grid of the scenes of seeds <paramref name="firstSeed"/> onward, each followed by its colour-coded
    /// label map when <paramref name="withLabels"/> is set (colours from <see cref="SceneLabels.Colors"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive or <paramref name="size"/>
    /// is out of range.</exception>
    public void WriteContactSheet(string path, long firstSeed, int count, int size, bool withLabels)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        CheckSize(size);
        // Each scene is one tile, or two side by side (picture, labels); about as many columns as rows.
        int perScene = withLabels ? 2 : 1;
        int columns = perScene * (int)Math.Ceiling(Math.Sqrt(count / (double)perScene));
        var tiles = new List<Image<Rgb24>>(count * perScene);
        try
        {
            for (int i = 0; i < count; i++)
            {
                SceneSample sample = Render(firstSeed + i, size);
                tiles.Add(sample.ToImage());
                if (withLabels)
                {
                    tiles.Add(sample.ToLabelImage());
                }
            }

            ContactSheet.SaveGrid(tiles, columns, path);
        }
        finally
        {
            tiles.ForEach(tile => tile.Dispose());
        }
    }

    /// <summary>The tensor value of a colour byte: v / 255 · 2 − 1.</summary>
    internal static float ToUnitRange(byte v) => (v / 255f * 2f) - 1f;

    private static void CheckSize(int size)
    {
        if (size is < MinSize or > MaxSize)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"The image size must be between {MinSize} and {MaxSize} pixels.");
        }
    }
}
