using System.Diagnostics;
using SemanticManipulation.Generators;
using SemanticManipulation.Inversion;
using SemanticManipulation.Metrics;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Inversion;

public sealed class ZzTimingProbe(ITestOutputHelper output)
{
    [Fact]
    public void Probe()
    {
        using var generator = ProGanGenerator.Load(Fixture.ProGan("progan32_zip.pth"));
        var options = new EncoderTrainingOptions { TrunkSteps = 300, InverterSteps = 100, JointSteps = 100, BatchSize = 16, Seed = 1, Encoder = new HybridEncoderOptions { TrunkWidth = 16 } };
        var clock = Stopwatch.StartNew();
        using var trained = new EncoderTrainer().Train(generator, options, new SynchronousProgress<EncoderTrainingProgress>(p => { if (p.Step % 50 == 0) output.WriteLine($"{p.Part} {p.Step} {p.Loss:F4} {p.Elapsed.TotalSeconds:F1}"); }));
        foreach (var part in trained.Parts) output.WriteLine($"{part.Part}: {part.Steps} steps {part.Seconds:F2} s loss {part.FinalLoss:F4}");

        using var scope = NewDisposeScope();
        var z = randn(32, 32, generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(99));
        var r = generator.Early(z);
        var x = generator.Late(r);
        var meanR = generator.Early(randn(256, 32, generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(7))).mean([0], keepdim: true);
        using var prediction = trained.Encoder.Encode(x);
        output.WriteLine($"err E {(prediction.Representation - r).square().mean().item<float>():F4}  err mean {(meanR - r).square().mean().item<float>():F4}");
        var rz = generator.Early(prediction.Latent!);
        output.WriteLine($"err G_H(zhat) {(rz - r).square().mean().item<float>():F4}; psnr G(zhat) {ImageMetrics.Psnr(generator.Late(rz), x):F2} psnr G(rhat) {ImageMetrics.Psnr(generator.Late(prediction.Representation), x):F2} psnr mean {ImageMetrics.Psnr(generator.Late(meanR.expand_as(r)), x):F2}");

        var photo = x[..1].clamp(-1, 1);
        foreach (var start in new[] { InversionStart.Encoder, InversionStart.Mean })
        {
            foreach (var phi in new IFeatureLoss?[] { null, SharedResNet18.FeatureLoss })
            {
                var sw = Stopwatch.StartNew();
                var psnrs = new List<string>();
                using var result = new ImageInverter(trained.Encoder, phi).Invert(generator, photo, new InversionOptions { Steps = 200, Start = start, ProgressInterval = 20 },
                    new SynchronousProgress<InversionProgress>(p => psnrs.Add($"{p.Step}:{p.PsnrDb:F1}")));
                output.WriteLine($"{start} {(phi is null ? "pixel" : "resnet")}: {result.Metrics} {sw.Elapsed.TotalSeconds:F2}s  {string.Join(" ", psnrs)}");
            }
        }
    }
}
