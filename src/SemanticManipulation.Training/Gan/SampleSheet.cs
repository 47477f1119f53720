using SemanticManipulation.Generators;
using SemanticManipulation.Training.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Gan;

/// <summary>A grid of a generator's images on fixed latents: watching it across training shows progress at a glance.</summary>
public static class SampleSheet
{
    /// <summary>Writes an 8×4 grid of <paramref name="generator"/>'s images for 32 latents drawn from <paramref name="seed"/>.</summary>
    public static void Write(ProGanGenerator generator, string path, long seed, int columns = 8, int rows = 4)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var count = columns * rows;
        using var random = new Generator(0, CPU).manual_seed(seed + 4242);
        var z = randn([count, generator.LatentSize], generator: random);
        var images = ((generator.Generate(z).clamp(-1, 1) + 1) * 127.5).round().to(ScalarType.Byte).permute(0, 2, 3, 1).contiguous();
        var side = generator.Resolution;
        var bytes = images.data<byte>().ToArray();
        var tiles = Enumerable.Range(0, count)
            .Select(i => Image.LoadPixelData<Rgb24>(bytes.AsSpan(i * side * side * 3, side * side * 3), side, side))
            .ToList();
        try
        {
            ContactSheet.SaveGrid(tiles, columns, path);
        }
        finally
        {
            tiles.ForEach(tile => tile.Dispose());
        }
    }
}
