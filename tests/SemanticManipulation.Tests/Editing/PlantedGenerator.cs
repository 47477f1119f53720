using SemanticManipulation.Generators;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Editing;

/// <summary>
/// A 32×32 ProGAN (z of 8, eight channels per block, split at layer4 = 8×8) whose late layers are wired by hand so that
/// two units of r have a known meaning: <see cref="RedUnit"/> paints red and <see cref="BlueUnit"/> paints blue.
/// G_H keeps its random weights, so the units switch on and off across random samples as real units do.
/// </summary>
/// <remarks>
/// Layers 5–8 pass every channel through (a 3×3 conv that is the identity plus a small leak to the 8 neighbours, so an
/// edit spreads a few pixels, as in a real generator, but no further than the receptive field: 6 pixels at 32²). The
/// output block turns the pixel-normalised red and blue channels into colour.
/// </remarks>
internal static class PlantedGenerator
{
    public const int RedUnit = 2;
    public const int BlueUnit = 5;
    public const int Channels = 8;

    /// <summary>How far (in output pixels) an edit of one 8×8 cell can reach beyond the 4×4 pixels under it.</summary>
    public const int ReceptiveMargin = 6;

    private const float NeighbourLeak = 0.05f;

    public static ProGanGenerator Create()
    {
        var generator = ProGanGenerator.Create(new ProGanArchitecture(8, [Channels, Channels, Channels, Channels]), seed: 11);
        var state = generator.StateDict();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // ProGAN multiplies every conv by a constant (√2/k)/√in (1/√in for the output block): divide it out so the
        // weights below are the effective ones.
        var convScale = (float)(Math.Sqrt(2) / 3 / Math.Sqrt(Channels));
        for (var layer = 5; layer <= 8; layer++)
        {
            var weights = new float[Channels * Channels * 9];
            for (var c = 0; c < Channels; c++)
            {
                for (var tap = 0; tap < 9; tap++)
                {
                    weights[(((c * Channels) + c) * 9) + tap] = (tap == 4 ? 1f : NeighbourLeak) / convScale;
                }
            }

            state[$"layer{layer}.conv.weight"].copy_(tensor(weights, [Channels, Channels, 3, 3]));
            state[$"layer{layer}.wscale.b"].zero_();
        }

        // Biases at the split layer make the red unit fire in patches (about a fifth of the image) rather than everywhere.
        var splitBias = new float[Channels];
        splitBias[RedUnit] = -0.8f;
        splitBias[BlueUnit] = 0.3f;
        state["layer4.wscale.b"].copy_(tensor(splitBias));

        var outputScale = (float)(1 / Math.Sqrt(Channels));
        var colour = new float[3 * Channels];
        void Set(int rgb, int unit, float weight) => colour[(rgb * Channels) + unit] = weight / outputScale;
        Set(0, RedUnit, 0.8f);
        Set(1, RedUnit, -0.6f);
        Set(2, RedUnit, -0.6f);
        Set(0, BlueUnit, -0.6f);
        Set(1, BlueUnit, -0.2f);
        Set(2, BlueUnit, 0.8f);
        // A little texture from other units, so that images are not flat where neither concept is.
        Set(1, 0, 0.15f);
        Set(0, 1, 0.1f);
        Set(2, 3, 0.1f);
        state["output_32x32.conv.weight"].copy_(tensor(colour, [3, Channels, 1, 1]));
        state["output_32x32.wscale.b"].copy_(tensor(new[] { -0.3f, 0.1f, -0.3f }));
        return generator;
    }
}
