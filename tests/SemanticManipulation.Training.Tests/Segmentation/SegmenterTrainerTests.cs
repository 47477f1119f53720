using SemanticManipulation.Training.Checkpointing;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Segmentation;
using SemanticManipulation.Training.Data;
using SemanticManipulation.Training.Segmentation;
using SemanticManipulation.Training.World;
using TorchSharp;
using static TorchSharp.torch;
using SemanticManipulation.Tests;

namespace SemanticManipulation.Training.Tests.Segmentation;

// ConvolutionalSegmenter.Create seeds libtorch's global generator: run alone, so no test beside it draws from that
// generator between the seed and the draws, and the brief training starts from its seed's weights every time.
[Collection(GlobalSeedGroup.Name)]
public sealed class SegmenterTrainerTests : IDisposable
{
    private readonly TemporaryDirectory _temporary = new();

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public void A_briefly_trained_segmenter_beats_the_majority_label_on_held_out_scenes_and_round_trips()
    {
        var options = new SegmenterTrainingOptions { Resolution = 32, Width = 8, Depth = 2, Steps = 60, BatchSize = 8, ProgressInterval = 10 };
        var world = new SceneWorld();

        var path = new SegmenterTrainer().Train(world, options, _temporary.Path);

        using var segmenter = ConvolutionalSegmenter.Load(path);
        using var scope = NewDisposeScope();
        using var heldOut = world.RenderBatch(WorldSeeds.HeldOut(0), 16, 32);
        var predicted = segmenter.Predict(heldOut.Images);
        var accuracy = predicted.eq(heldOut.Labels).to(ScalarType.Float32).mean().item<float>();
        var majority = heldOut.Labels.flatten().bincount(null, SceneLabels.Count).max().item<long>() / (float)heldOut.Labels.numel();
        Assert.True(accuracy > majority + 0.1, $"accuracy {accuracy:P1}, majority label {majority:P1}");

        var masks = segmenter.Segment(heldOut.Images);
        Assert.Equal([16L, SceneLabels.Count, 32, 32], masks.shape);
        Assert.True(masks.sum(1).eq(1).all().item<bool>());   // exactly one label per pixel
        Assert.Equal(SceneLabels.Names, segmenter.Labels);
        Assert.Equal([16L, segmenter.FeatureSize], segmenter.Features(heldOut.Images).shape);
    }

    [Fact]
    public void A_cancelled_run_checkpoints_the_steps_it_finished_and_resumes_after_them()
    {
        var options = new SegmenterTrainingOptions { Resolution = 32, Width = 4, Depth = 2, Steps = 6, BatchSize = 2, ProgressInterval = 1, CheckpointInterval = 4 };
        using var cancellation = new CancellationTokenSource();
        var first = new List<int>();
        var cancelAtFive = new SynchronousProgress<SegmenterTrainingProgress>(p =>
        {
            first.Add(p.Step);
            if (p.Step == 5)
            {
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => new SegmenterTrainer().Train(new SceneWorld(), options, _temporary.Path, cancelAtFive, cancellation.Token));
        Assert.Equal(5, TrainingCheckpoint.SavedStep(_temporary.Path, "segmenter"));   // past the step-4 interval checkpoint

        var second = new List<int>();
        var path = new SegmenterTrainer().Train(new SceneWorld(), options, _temporary.Path, new SynchronousProgress<SegmenterTrainingProgress>(p => second.Add(p.Step)));

        Assert.Equal([1, 2, 3, 4, 5], first);
        Assert.Equal([6], second);
        using var segmenter = ConvolutionalSegmenter.Load(path);
    }

    [Fact]
    public void A_file_that_is_not_a_segmenter_is_refused()
    {
        var path = Path.Combine(_temporary.Path, "other.safetensors");
        SafeTensorsWriter.Write(path, new Dictionary<string, Tensor> { ["x"] = zeros(2) });

        var error = Assert.Throws<CheckpointFormatException>(() => ConvolutionalSegmenter.Load(path));

        Assert.Contains("not a segmenter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Images_whose_side_the_network_cannot_halve_are_refused()
    {
        using var segmenter = ConvolutionalSegmenter.Create(SceneLabels.Names, width: 4, depth: 3);
        using var images = zeros(1, 3, 36, 36);

        var error = Assert.Throws<ArgumentException>(() => segmenter.Segment(images));

        Assert.Contains("multiples of 8", error.Message, StringComparison.Ordinal);
    }
}
