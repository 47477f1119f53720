using SemanticManipulation.Diagnostics;
using SemanticManipulation.Generators;
using SemanticManipulation.Inversion;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Inversion;

[Collection(TrainedEncoderGroup.Name)]
public sealed class EncoderTrainerTests(TrainedEncoderFixture trained)
{
    [Fact]
    public void A_briefly_trained_encoder_recovers_r_better_than_the_mean_representation()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var truth = trained.Representations;
        var mean = trained.Generator.Early(randn(256, 16, generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(7))).mean([0], keepdim: true);

        using var prediction = trained.Encoder.Encode(trained.Images);
        var encoderError = (prediction.Representation - truth).square().mean().item<float>();
        var meanError = (mean - truth).square().mean().item<float>();

        Assert.True(encoderError < 0.8 * meanError, $"MSE of r: encoder {encoderError:F4}, mean representation {meanError:F4}");
    }

    [Fact]
    public void Every_stage_is_reported_in_the_authors_order_with_its_time()
    {
        var parts = trained.Training.Parts;
        Assert.Equal(["trunk", "inv4", "inv3", "inv2", "inv1", "joint"], parts.Select(p => p.Part));
        Assert.Equal([EncoderTrainingStage.Trunk, .. Enumerable.Repeat(EncoderTrainingStage.Inverters, 4), EncoderTrainingStage.Joint], parts.Select(p => p.Stage));
        Assert.Equal([300, 25, 25, 25, 25, 25], parts.Select(p => p.Steps));
        Assert.All(parts, p => Assert.True(p.Seconds > 0 && double.IsFinite(p.FinalLoss), p.ToString()));
        Assert.Equal(parts.Where(p => p.Stage == EncoderTrainingStage.Inverters).Sum(p => p.Seconds),
            trained.Training.StageTime(EncoderTrainingStage.Inverters).TotalSeconds, tolerance: 1e-6);
        Assert.False(trained.Training.Resumed);
    }

    [Fact]
    public void Interrupted_training_resumes_from_its_checkpoint_to_the_same_encoder()
    {
        using var generator = ProGanGenerator.Load(Fixture.ProGan("progan32_zip.pth"));
        using var folder = Fixture.TempDirectory();
        var options = TinyOptions(folder.Path);
        CancelAfter(generator, options, "inv3", 1);
        Assert.NotNull(TrainingState(folder.Path));

        using var resumed = new EncoderTrainer().Train(generator, options);
        using var uninterrupted = new EncoderTrainer().Train(generator, TinyOptions(null));

        Assert.True(resumed.Resumed);
        Assert.Equal(uninterrupted.Parts.Select(p => p.Steps), resumed.Parts.Select(p => p.Steps));
        var expected = uninterrupted.Encoder.StateDict();
        foreach (var (key, value) in resumed.Encoder.StateDict())
        {
            Assert.True(value.allclose(expected[key], rtol: 1e-5, atol: 1e-6), $"{key} differs after resuming");
        }

        // The checkpoint is a loadable encoder by itself.
        using var loaded = HybridEncoder.Load(Path.Combine(folder.Path, "encoder.safetensors"), generator);
        Assert.True(loaded.StateDict()["inv1.conv2.weight"].allclose(expected["inv1.conv2.weight"], rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void A_cancelled_run_checkpoints_the_steps_it_finished_between_checkpoints_and_resumes_after_them()
    {
        using var generator = ProGanGenerator.Load(Fixture.ProGan("progan32_zip.pth"));
        using var folder = Fixture.TempDirectory();
        var options = TinyOptions(folder.Path);
        options.CheckpointInterval = 100;
        CancelAfter(generator, options, "trunk", 2);
        var state = TrainingState(folder.Path);
        Assert.NotNull(state);
        Assert.Equal(2, state.Parts[0].StepsDone);
        // The optimiser state of that step, and no other.
        Assert.Equal(["encoder-optimizer.trunk-step-2.bin"], Directory.GetFiles(folder.Path, "encoder-optimizer*").Select(Path.GetFileName));

        var resumedSteps = new List<int>();
        using var resumed = new EncoderTrainer().Train(generator, options,
            new SynchronousProgress<EncoderTrainingProgress>(p => { if (p.Part == "trunk") resumedSteps.Add(p.Step); }));
        using var uninterrupted = new EncoderTrainer().Train(generator, TinyOptions(null));

        Assert.Equal([3], resumedSteps);
        var expected = uninterrupted.Encoder.StateDict();
        foreach (var (key, value) in resumed.Encoder.StateDict())
        {
            Assert.True(value.allclose(expected[key], rtol: 1e-5, atol: 1e-6), $"{key} differs after resuming");
        }
    }

    [Fact]
    public void A_checkpoint_folder_of_another_run_is_refused_naming_the_difference()
    {
        using var generator = ProGanGenerator.Load(Fixture.ProGan("progan32_zip.pth"));
        using var folder = Fixture.TempDirectory();
        using (new EncoderTrainer().Train(generator, TinyOptions(folder.Path)))
        {
        }

        var other = TinyOptions(folder.Path);
        other.Seed = 8;
        var error = Assert.Throws<ArgumentException>(() => new EncoderTrainer().Train(generator, other));
        Assert.Contains("seed 0 there, 8 here", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_frees_every_tensor()
    {
        using var generator = ProGanGenerator.Load(Fixture.ProGan("progan32_zip.pth"));
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<EncoderTrainingProgress>(p =>
        {
            if (p.Part == "joint")
            {
                cancellation.Cancel();
            }
        });
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Assert.ThrowsAny<OperationCanceledException>(() => new EncoderTrainer().Train(generator, TinyOptions(null), progress, cancellation.Token));

        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Theory]
    [InlineData(nameof(EncoderTrainingOptions.BatchSize))]
    [InlineData(nameof(EncoderTrainingOptions.TrunkSteps))]
    [InlineData(nameof(EncoderTrainingOptions.JointLearningRate))]
    [InlineData(nameof(EncoderTrainingOptions.CheckpointInterval))]
    public void Out_of_range_options_are_refused_by_name(string name)
    {
        var options = TinyOptions(null);
        switch (name)
        {
            case nameof(EncoderTrainingOptions.BatchSize): options.BatchSize = 1; break;
            case nameof(EncoderTrainingOptions.TrunkSteps): options.TrunkSteps = -1; break;
            case nameof(EncoderTrainingOptions.JointLearningRate): options.JointLearningRate = double.NaN; break;
            default: options.CheckpointInterval = 0; break;
        }

        using var generator = ProGanGenerator.Load(Fixture.ProGan("progan32_zip.pth"));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new EncoderTrainer().Train(generator, options));
        Assert.Equal(name, error.ParamName);
    }

    [Fact]
    public void A_part_checkpoints_without_optimiser_state_when_it_finishes_and_removes_the_state_it_no_longer_needs()
    {
        using var generator = ProGanGenerator.Load(Fixture.ProGan("progan32_zip.pth"));
        using var folder = Fixture.TempDirectory();
        var options = TinyOptions(folder.Path);
        options.CheckpointInterval = 2;
        // Cancelled during the trunk's last step (3): the step finishes, the part is checkpointed as finished, and the
        // loop of the next part sees the cancellation before its first step.
        CancelAfter(generator, options, "trunk", 3);

        var state = TrainingState(folder.Path);
        Assert.NotNull(state);
        Assert.Equal(3, state.Parts[0].StepsDone);
        Assert.Null(state.OptimizerFile);
        Assert.Empty(Directory.GetFiles(folder.Path, "encoder-optimizer*"));
    }

    /// <summary>Trains until the report of <paramref name="part"/>'s <paramref name="step"/> cancels the run.</summary>
    private static void CancelAfter(ProGanGenerator generator, EncoderTrainingOptions options, string part, int step)
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<EncoderTrainingProgress>(p =>
        {
            if (p.Part == part && p.Step == step)
            {
                cancellation.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => new EncoderTrainer().Train(generator, options, progress, cancellation.Token));
    }

    private static EncoderTrainingCheckpoint.TrainingState? TrainingState(string folder) => new EncoderTrainingCheckpoint(folder).ReadState();

    private static EncoderTrainingOptions TinyOptions(string? checkpointDirectory) => new()
    {
        TrunkSteps = 3,
        InverterSteps = 2,
        JointSteps = 2,
        BatchSize = 4,
        CheckpointDirectory = checkpointDirectory,
        CheckpointInterval = 1,
        ProgressInterval = 1,
        Encoder = new HybridEncoderOptions { TrunkWidth = 4, TrunkBlocks = [1, 1, 1, 1] },
    };
}
