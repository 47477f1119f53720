using SemanticManipulation.Diagnostics;
using SemanticManipulation.Generators;
using SemanticManipulation.Inversion;
using SemanticManipulation.Metrics;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Inversion;

[Collection(TrainedEncoderGroup.Name)]
public sealed class ImageInverterTests(TrainedEncoderFixture trained)
{
    private const int Budget = 60;
    private static readonly int[] AuthorsSteps = [0, 799, 800, 1200, 1800];
    private static readonly int[] InteractiveSteps = [12, 13, 20, 30];

    [Fact]
    public void Refinement_from_the_encoders_guess_beats_refinement_from_the_mean_in_psnr_and_in_steps()
    {
        var inverter = new ImageInverter(trained.Encoder);
        for (var i = 0; i < 2; i++)
        {
            using var photoScope = NewDisposeScope();
            var photo = trained.Images[i..(i + 1)];

            using var fromMean = inverter.Invert(trained.Generator, photo, new InversionOptions { Steps = Budget, Start = InversionStart.Mean });
            using var fromEncoder = inverter.Invert(trained.Generator, photo, new InversionOptions { Steps = Budget, Start = InversionStart.Encoder });
            // How many steps the encoder's start needs to reach what the mean's start reached with the whole budget.
            using var toTarget = inverter.Invert(trained.Generator, photo,
                new InversionOptions { Steps = Budget, Start = InversionStart.Encoder, TargetPsnrDb = fromMean.Metrics.PsnrDb });

            var (mean, encoder) = (fromMean.Metrics, fromEncoder.Metrics);
            Assert.True(encoder.InitialPsnrDb > mean.InitialPsnrDb, $"photo {i}: start {encoder.InitialPsnrDb:F2} vs {mean.InitialPsnrDb:F2} dB");
            Assert.True(encoder.PsnrDb > mean.PsnrDb + 0.5, $"photo {i}: after {Budget} steps {encoder.PsnrDb:F2} vs {mean.PsnrDb:F2} dB");
            Assert.True(toTarget.Metrics.StoppedEarly && toTarget.Metrics.Steps < Budget / 2,
                $"photo {i}: the encoder's start reached {mean.PsnrDb:F2} dB in {toTarget.Metrics.Steps} steps, the mean's in {Budget}");
            Assert.Equal(InversionStart.Encoder, encoder.Start);
            Assert.Equal(InversionStart.Mean, mean.Start);
        }
    }

    [Fact]
    public void The_result_holds_r_star_its_reconstruction_and_honest_metrics()
    {
        using var scope = NewDisposeScope();
        var photo = trained.Images[2..3];
        var reports = new List<InversionProgress>();

        using var result = new ImageInverter(trained.Encoder, SharedResNet18.FeatureLoss).Invert(trained.Generator, photo,
            new InversionOptions { Steps = 20, ProgressInterval = 5 }, new SynchronousProgress<InversionProgress>(reports.Add));

        Assert.Equal(trained.Generator.RepresentationShape.ToTensorShape(), result.Representation.shape);
        Assert.Equal(photo.shape, result.Reconstruction.shape);
        Assert.True(result.Reconstruction.allclose(trained.Generator.Late(result.Representation), rtol: 1e-5, atol: 1e-5));
        Assert.Equal(ImageMetrics.Psnr(result.Reconstruction, photo), result.Metrics.PsnrDb, 6);
        Assert.Equal(ImageMetrics.Ssim(result.Reconstruction, photo), result.Metrics.Ssim, 6);
        Assert.True(result.Metrics.PerceptualDistance is > 0 and < 4);
        Assert.True(result.Metrics.PsnrDb > result.Metrics.InitialPsnrDb);
        Assert.Equal(20, result.Metrics.Steps);
        Assert.Equal([5, 10, 15, 20], reports.Select(r => r.Step));
        Assert.Equal(result.Latent is not null, result.Metrics.Guess == StartGuess.Latent);
    }

    [Fact]
    public void Without_an_encoder_it_starts_from_the_mean_and_inverts_pixel_only()
    {
        using var scope = NewDisposeScope();
        var photo = trained.Images[3..4];
        using var result = new ImageInverter().Invert(trained.Generator, photo, new InversionOptions { Steps = 30 });

        Assert.Equal(InversionStart.Mean, result.Metrics.Start);
        Assert.True(double.IsNaN(result.Metrics.PerceptualDistance));
        Assert.True(result.Metrics.PsnrDb > result.Metrics.InitialPsnrDb + 3, $"{result.Metrics.InitialPsnrDb:F2} -> {result.Metrics.PsnrDb:F2} dB");
    }

    [Fact]
    public void The_authors_latent_start_keeps_r_star_an_output_of_the_split_layer()
    {
        using var scope = NewDisposeScope();
        var photo = trained.Images[4..5];
        var options = new InversionOptions { Steps = 10, Start = InversionStart.Mean, ResidualLayers = ["layer1", "layer2", "layer3"] };
        using var result = new ImageInverter().Invert(trained.Generator, photo, options);

        if (result.Metrics.Guess == StartGuess.Latent)
        {
            Assert.NotNull(result.Latent);
            Assert.True(result.Representation.min().item<float>() < 0);   // LeakyReLU output, not a free tensor
        }

        var error = Assert.Throws<ArgumentException>(() => new ImageInverter().Invert(trained.Generator, photo,
            new InversionOptions { Steps = 1, ResidualLayers = ["layer9"] }));
        Assert.Contains("layer1, layer2, layer3, layer4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inversions_are_deterministic()
    {
        using var scope = NewDisposeScope();
        var photo = trained.Images[5..6];
        using var a = new ImageInverter(trained.Encoder).Invert(trained.Generator, photo, new InversionOptions { Steps = 8 });
        using var b = new ImageInverter(trained.Encoder).Invert(trained.Generator, photo, new InversionOptions { Steps = 8 });
        Assert.True(a.Representation.eq(b.Representation).all().item<bool>());
    }

    [Fact]
    public void An_encoder_for_another_generator_is_refused_or_skipped()
    {
        using var other = ProGanGenerator.Load(Fixture.ProGan("progan32_zip.pth"));   // r 32×8×8, z 32
        using var scope = NewDisposeScope();
        var photo = zeros(1, 3, 32, 32);

        var error = Assert.Throws<ArgumentException>(() => new ImageInverter(trained.Encoder).Invert(other, photo,
            new InversionOptions { Steps = 1, Start = InversionStart.Encoder }));
        Assert.Contains("16×8×8", error.Message, StringComparison.Ordinal);
        Assert.Contains("32×8×8", error.Message, StringComparison.Ordinal);
        using var fallback = new ImageInverter(trained.Encoder).Invert(other, photo, new InversionOptions { Steps = 1 });
        Assert.Equal(InversionStart.Mean, fallback.Metrics.Start);
        Assert.Throws<ArgumentException>(() => new ImageInverter().Invert(other, photo, new InversionOptions { Steps = 1, Start = InversionStart.Encoder }));
    }

    [Fact]
    public void Bad_photos_and_options_get_clear_errors()
    {
        using var scope = NewDisposeScope();
        var inverter = new ImageInverter();
        var generator = trained.Generator;

        var size = Assert.Throws<ArgumentException>(() => inverter.Invert(generator, zeros(1, 3, 64, 64)));
        Assert.Contains("[1, 3, 32, 32]", size.Message, StringComparison.Ordinal);
        var nan = zeros(1, 3, 32, 32);
        nan[0, 0, 5, 5] = float.NaN;
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => inverter.Invert(generator, nan)).Message, StringComparison.Ordinal);
        var bytes = full(1, 3, 32, 32, 200f);
        Assert.Contains("[-1, 1]", Assert.Throws<ArgumentException>(() => inverter.Invert(generator, bytes)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => inverter.Invert(generator, zeros(2, 3, 32, 32)));

        var steps = Assert.Throws<ArgumentOutOfRangeException>(() => inverter.Invert(generator, zeros(1, 3, 32, 32), new InversionOptions { Steps = 0 }));
        Assert.Equal(nameof(InversionOptions.Steps), steps.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => inverter.Invert(generator, zeros(1, 3, 32, 32), new InversionOptions { LearningRate = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => inverter.Invert(generator, zeros(1, 3, 32, 32), new InversionOptions { Patience = 0 }));
    }

    [Fact]
    public void Cancellation_stops_within_a_step_and_frees_every_tensor()
    {
        using var cancellation = new CancellationTokenSource();
        var lastStep = 0;
        var progress = new SynchronousProgress<InversionProgress>(p =>
        {
            lastStep = p.Step;
            if (p.Step == 3)
            {
                cancellation.Cancel();
            }
        });
        var photo = trained.Images[6..7];
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Assert.ThrowsAny<OperationCanceledException>(() => new ImageInverter(trained.Encoder, SharedResNet18.FeatureLoss).Invert(trained.Generator, photo,
            new InversionOptions { Steps = 100, ProgressInterval = 1 }, progress, cancellation.Token));

        Assert.Equal(3, lastStep);
        photo.Dispose();
        Assert.Equal(live - 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Patience_stops_a_stalled_refinement_early()
    {
        using var scope = NewDisposeScope();
        using var result = new ImageInverter().Invert(trained.Generator, trained.Images[7..8],
            new InversionOptions { Steps = 400, LearningRate = 1e-9, Patience = 5 });
        Assert.True(result.Metrics.StoppedEarly);
        Assert.True(result.Metrics.Steps < 20, $"{result.Metrics.Steps} steps");
    }

    [Fact]
    public void The_learning_rate_halves_at_the_authors_milestones_scaled_to_the_budget()
    {
        var authors = new InversionOptions();
        Assert.Equal([0.01, 0.01, 0.005, 0.0025, 0.00125], AuthorsSteps.Select(authors.LearningRateAt));
        var interactive = new InversionOptions { Steps = 50 };
        Assert.Equal([0.01, 0.005, 0.0025, 0.00125], InteractiveSteps.Select(interactive.LearningRateAt));
    }
}
