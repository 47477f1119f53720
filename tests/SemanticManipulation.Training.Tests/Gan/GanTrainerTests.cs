using SemanticManipulation.Checkpoints;
using SemanticManipulation.Training.Checkpointing;
using TorchSharp;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Generators;
using SemanticManipulation.Training.Data;
using SemanticManipulation.Training.Gan;
using SemanticManipulation.Training.World;
using SemanticManipulation.Tests;

namespace SemanticManipulation.Training.Tests.Gan;

public sealed class GanTrainerTests : IDisposable
{
    private readonly TemporaryDirectory _temporary = new();

    public void Dispose() => _temporary.Dispose();

    /// <summary>A 16² GAN that trains a step in milliseconds, checkpointing every 3 steps.</summary>
    internal static GanTrainingOptions Tiny(int steps) => new()
    {
        LatentSize = 16,
        BlockChannels = [16, 16, 8],
        Steps = steps,
        BatchSize = 4,
        CheckpointInterval = 3,
        ProgressInterval = 1,
        SampleInterval = 0,
        R1Interval = 2,
    };

    internal static SceneWorldImageSource Source => new(new SceneWorld(), 16);

    /// <summary>Records every report into <paramref name="reports"/> and cancels once step <paramref name="step"/> is reported.</summary>
    internal static IProgress<GanTrainingProgress> RecordingUntil(List<GanTrainingProgress> reports, int step, CancellationTokenSource cancellation) =>
        new SynchronousProgress<GanTrainingProgress>(p =>
        {
            reports.Add(p);
            if (p.Step == step)
            {
                cancellation.Cancel();
            }
        });

    [Fact]
    public void Training_writes_a_generator_the_sdk_loads_with_the_authors_layout()
    {
        var result = new GanTrainer().Train(Source, Tiny(4), _temporary.Path);

        using var generator = ProGanGenerator.Load(result);
        Assert.Equal(new ProGanArchitecture(16, [16, 16, 8]), generator.Architecture);
        Assert.Equal(16, generator.Resolution);
        Assert.Equal("layer4", generator.SplitLayer);
    }

    [Fact]
    public void A_cancelled_run_checkpoints_the_steps_it_finished_and_resumes_after_them()
    {
        using var cancellation = new CancellationTokenSource();
        var first = new List<GanTrainingProgress>();
        var progress = RecordingUntil(first, 4, cancellation);

        Assert.ThrowsAny<OperationCanceledException>(() => new GanTrainer().Train(Source, Tiny(7), _temporary.Path, progress, cancellation.Token));
        Assert.False(File.Exists(GanTrainer.ResultPath(_temporary.Path)));
        Assert.Equal(4, TrainingCheckpoint.SavedStep(_temporary.Path, "gan"));   // not only the step-3 interval checkpoint

        var second = new List<GanTrainingProgress>();
        var result = new GanTrainer().Train(Source, Tiny(7), _temporary.Path, new SynchronousProgress<GanTrainingProgress>(second.Add));

        Assert.Equal([1, 2, 3, 4], first.Select(p => p.Step));
        Assert.Equal([5, 6, 7], second.Select(p => p.Step));
        Assert.True(File.Exists(result));
        Assert.All(second, p => Assert.True(double.IsFinite(p.DiscriminatorLoss) && double.IsFinite(p.GeneratorLoss)));
    }

    [Fact]
    public void A_run_cancelled_and_resumed_trains_the_generator_an_uninterrupted_run_trains()
    {
        using var cancellation = new CancellationTokenSource();
        var interrupted = Path.Combine(_temporary.Path, "interrupted");
        var uninterrupted = Path.Combine(_temporary.Path, "uninterrupted");
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new GanTrainer().Train(Source, Tiny(7), interrupted, RecordingUntil([], 5, cancellation), cancellation.Token));
        Assert.Equal(5, TrainingCheckpoint.SavedStep(interrupted, "gan"));

        using var resumed = ProGanGenerator.Load(new GanTrainer().Train(Source, Tiny(7), interrupted));
        using var straight = ProGanGenerator.Load(new GanTrainer().Train(Source, Tiny(7), uninterrupted));

        // Batches, latents and the R1 schedule are drawn from the step index, and the checkpoint holds both optimisers and
        // G's average: stopping mid-run changes nothing.
        using var z = torch.randn(4, 16, generator: new torch.Generator(0, torch.CPU).manual_seed(11));
        using var a = resumed.Generate(z);
        using var b = straight.Generate(z);
        using var same = a.equal(b).all();
        Assert.True(same.item<bool>(), "the resumed run's generator differs from the uninterrupted one's");
    }

    [Fact]
    public void A_finished_run_is_reused_and_asking_for_more_steps_continues_it()
    {
        var first = new List<GanTrainingProgress>();
        var result = new GanTrainer().Train(Source, Tiny(4), _temporary.Path, new SynchronousProgress<GanTrainingProgress>(first.Add));
        var written = File.GetLastWriteTimeUtc(result);

        var again = new List<GanTrainingProgress>();
        new GanTrainer().Train(Source, Tiny(4), _temporary.Path, new SynchronousProgress<GanTrainingProgress>(again.Add));
        var longer = new List<GanTrainingProgress>();
        new GanTrainer().Train(Source, Tiny(6), _temporary.Path, new SynchronousProgress<GanTrainingProgress>(longer.Add));

        Assert.Equal([1, 2, 3, 4], first.Select(p => p.Step));
        Assert.Empty(again);                                       // same steps: the result is reused as it is
        Assert.Equal([5, 6], longer.Select(p => p.Step));          // more steps: continues from the final checkpoint
        Assert.True(File.GetLastWriteTimeUtc(result) >= written);
    }

    [Fact]
    public void A_finished_generator_records_what_made_it_and_a_checkpoint_taken_past_it_does_not_speak_for_it()
    {
        var result = new GanTrainer().Train(Source, Tiny(4), _temporary.Path);
        var recorded = GanTrainer.TrainedWith(_temporary.Path)!.Value;
        Assert.Equal((4, Source.Description), (recorded.Options.Steps, recorded.Data));

        // A run for 7 steps stopped after step 5: its checkpoint is past the 4-step generator, which it never replaced.
        using (var cancellation = new CancellationTokenSource())
        {
            Assert.ThrowsAny<OperationCanceledException>(() =>
                new GanTrainer().Train(Source, Tiny(7), _temporary.Path, RecordingUntil([], 5, cancellation), cancellation.Token));
        }

        var written = File.GetLastWriteTimeUtc(result);
        var four = new List<GanTrainingProgress>();
        new GanTrainer().Train(Source, Tiny(4), _temporary.Path, new SynchronousProgress<GanTrainingProgress>(four.Add));
        Assert.Empty(four);                                                   // 4 steps asked, 4 had: reused as it is
        Assert.Equal(written, File.GetLastWriteTimeUtc(result));

        // 5 asked: the generator has had 4, the checkpoint holds 5, so its average becomes the result without training.
        var five = new List<GanTrainingProgress>();
        new GanTrainer().Train(Source, Tiny(5), _temporary.Path, new SynchronousProgress<GanTrainingProgress>(five.Add));
        Assert.Empty(five);
        recorded = GanTrainer.TrainedWith(_temporary.Path)!.Value;
        Assert.Equal((5, (string?)null), (recorded.Options.Steps, recorded.Data));   // the images of that stopped run are not known

        // A damaged result is made again from the checkpoint; one saved without a record is taken to be the checkpoint's.
        File.WriteAllBytes(result, [1, 2, 3]);
        new GanTrainer().Train(Source, Tiny(5), _temporary.Path);
        using (var remade = ProGanGenerator.Load(result))
        {
            remade.Save(result);
        }

        recorded = GanTrainer.TrainedWith(_temporary.Path)!.Value;
        Assert.Equal((5, (string?)null), (recorded.Options.Steps, recorded.Data));
        Assert.Equal(Tiny(5).LearningRate, recorded.Options.LearningRate);
    }

    [Fact]
    public void After_its_start_step_the_final_half_life_makes_the_average_follow_the_trained_generator()
    {
        var usual = Path.Combine(_temporary.Path, "usual");
        var final = Path.Combine(_temporary.Path, "final");
        new GanTrainer().Train(Source, Tiny(4), usual);
        var options = Tiny(4);
        options.FinalEmaHalfLifeImages = 1;   // each step keeps 1/16 of the average (batch 4)
        options.FinalEmaStartStep = 3;
        new GanTrainer().Train(Source, options, final);

        // The trained generator's steps do not read the average, so both runs train the same G; only the average of the
        // last step differs: the usual 10,000-image half-life leaves it near the initial weights, the final one next to G.
        var usualGap = AverageGap(usual);
        var finalGap = AverageGap(final);
        Assert.True(finalGap < 0.2 * usualGap, $"the average is {finalGap:G3} from the trained generator with the final half-life and {usualGap:G3} without");
    }

    [Fact]
    public void A_final_half_life_that_is_not_a_positive_number_of_images_is_refused()
    {
        var options = Tiny(2);
        options.FinalEmaHalfLifeImages = 0;

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(nameof(GanTrainingOptions.FinalEmaHalfLifeImages), error.ParamName);
    }

    /// <summary>The distance between the checkpoint's trained generator and its average, over all weights.</summary>
    private static double AverageGap(string directory)
    {
        using var checkpoint = StateDictReader.Read(Path.Combine(directory, "gan.checkpoint.safetensors"));
        using var scope = torch.NewDisposeScope();
        var squared = 0.0;
        foreach (var (name, live) in checkpoint.Tensors.Where(t => t.Key.StartsWith("G.", StringComparison.Ordinal)))
        {
            squared += (live - checkpoint.Tensors["G_ema." + name[2..]]).square().sum().item<float>();
        }

        return Math.Sqrt(squared);
    }

    [Fact]
    public void A_source_of_another_resolution_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new GanTrainer().Train(new SceneWorldImageSource(new SceneWorld(), 32), Tiny(2), _temporary.Path));

        Assert.Contains("32²", error.Message, StringComparison.Ordinal);
        Assert.Contains("16²", error.Message, StringComparison.Ordinal);
    }

}
