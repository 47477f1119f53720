using SemanticManipulation.Adaptation;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Editing;
using SemanticManipulation.Imaging;
using SemanticManipulation.Generators;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Adaptation;

/// <summary>R against free δ on a generator in the 128² default model's layout (random weights), fitting a photo the
/// generator cannot reproduce exactly: a sibling whose late weights were jittered rendered it.</summary>
[Trait("Category", "Heavy")]
public sealed class PerturbationAtScaleTests
{
    [Fact]
    public void At_128_R_fits_the_kept_pixels_within_1_dB_of_free_delta_after_1000_steps_and_gains_from_its_first_step()
    {
        var architecture = new ProGanArchitecture(256, [256, 256, 128, 64, 32, 16]);
        using var generator = ProGanGenerator.Create(architecture, seed: 1);
        using var sibling = ProGanGenerator.Create(architecture, seed: 1);
        using var scope = NewDisposeScope();
        Tensor representation;
        ModelPhoto photo;
        using (no_grad())
        {
            var noise = new TorchSharp.torch.Generator(0, CPU).manual_seed(2);
            foreach (var parameter in sibling.LateParameters())
            {
                parameter.add_(randn(parameter.shape, generator: noise) * parameter.std() * 0.25);
            }

            var z = randn(1, generator.LatentSize, generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(3));
            representation = generator.Early(z);
            photo = ModelPhoto.From(sibling.Generate(z).clamp(-1, 1), generator.Resolution);
        }

        using var editMask = EditMask.Rectangle(128, 43, 43, 43, 43);
        var target = new AdaptationTarget(photo, representation, StrokeMask.FromTensor(editMask, 128));
        var rSteps = new List<AdaptationProgress>();
        using var r = new GeneratorAdapter().Fit(generator, target,
            new AdaptationOptions { Kind = PerturbationKinds.Network, ProgressInterval = 1, TargetKeptPsnrDb = null }, new SynchronousProgress<AdaptationProgress>(rSteps.Add));
        using var free = new GeneratorAdapter().Fit(generator, target, new AdaptationOptions { Kind = PerturbationKinds.Free, TargetKeptPsnrDb = null });

        var early = rSteps.Take(10).Select(p => p.KeptPsnrDb).ToArray();
        Assert.True(early.Zip(early.Skip(1)).All(p => p.Second > p.First), string.Join(" → ", early.Select(p => p.ToString("F2", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.True(r.Metrics.PsnrAfterDb > free.Metrics.PsnrAfterDb - 1,
            $"R {r.Metrics.PsnrAfterDb:F2} dB, free δ {free.Metrics.PsnrAfterDb:F2} dB after 1000 steps");
    }
}
