using SemanticManipulation.Checkpoints;
using SemanticManipulation.Optimization;
using SemanticManipulation.Tests;
using SemanticManipulation.Training.Checkpointing;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Tests.Checkpointing;

public sealed class TrainingCheckpointTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();
    private readonly Linear _module = nn.Linear(3, 2);
    private readonly OptimizerHelper _optimizer;

    public TrainingCheckpointTests() => _optimizer = HeldScalarAdam.Create(_module.parameters(), 0.1);

    public void Dispose()
    {
        _optimizer.Dispose();
        _module.Dispose();
        _folder.Dispose();
    }

    private Dictionary<string, nn.Module> Modules => new() { ["net"] = _module };

    private Dictionary<string, OptimizerHelper> Optimizers => new() { ["opt"] = _optimizer };

    /// <summary>One Adam step on a fixed loss, so the optimiser has moments worth saving.</summary>
    private void Step()
    {
        _optimizer.zero_grad();
        using var loss = _module.forward(ones(4, 3)).square().sum();
        loss.backward();
        _optimizer.step();
    }

    private string[] OptimizerFiles() =>
        Directory.GetFiles(_folder.Path, "run.optimizer-*").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public void Each_checkpoint_keeps_only_the_optimiser_state_of_its_own_step()
    {
        Step();
        TrainingCheckpoint.Save(_folder.Path, "run", 1, Modules, Optimizers, "{}");
        Step();
        TrainingCheckpoint.Save(_folder.Path, "run", 2, Modules, Optimizers, "{}");

        Assert.Equal(["run.optimizer-opt.step-2.bin"], OptimizerFiles());
        Assert.Equal(2, TrainingCheckpoint.Load(_folder.Path, "run", Modules, Optimizers));
    }

    [Fact]
    public void A_save_killed_before_its_weights_leaves_the_previous_checkpoint_whole()
    {
        Step();
        TrainingCheckpoint.Save(_folder.Path, "run", 1, Modules, Optimizers, "{}");
        var saved = _module.weight!.clone();
        // What a kill between a save's optimiser files and its weights file leaves: the next step's optimiser state (here
        // not even complete) and its temporary file, beside the old weights.
        File.WriteAllBytes(Path.Combine(_folder.Path, "run.optimizer-opt.step-2.bin"), [1, 2, 3]);
        File.WriteAllBytes(Path.Combine(_folder.Path, "run.optimizer-opt.step-2.bin.tmp"), [1, 2, 3]);
        Step();

        Assert.Equal(1, TrainingCheckpoint.Load(_folder.Path, "run", Modules, Optimizers));
        Assert.True(_module.weight!.equal(saved).all().item<bool>());

        TrainingCheckpoint.Save(_folder.Path, "run", 3, Modules, Optimizers, "{}");
        Assert.Equal(["run.optimizer-opt.step-3.bin"], OptimizerFiles());
    }

    [Fact]
    public void A_save_that_fails_after_its_optimiser_files_leaves_the_previous_checkpoints_optimiser_state_untouched()
    {
        Step();
        TrainingCheckpoint.Save(_folder.Path, "run", 1, Modules, Optimizers, "{}");
        var stateAtStep1 = File.ReadAllBytes(Path.Combine(_folder.Path, "run.optimizer-opt.step-1.bin"));
        Step();
        // A module safetensors cannot hold makes the weights write fail after the optimiser files are written.
        using var unsavable = nn.Linear(3, 2);
        unsavable.register_buffer("phase", zeros(1, dtype: ScalarType.ComplexFloat32));
        var modules = new Dictionary<string, nn.Module>(Modules) { ["other"] = unsavable };

        Assert.Throws<ArgumentException>(() => TrainingCheckpoint.Save(_folder.Path, "run", 2, modules, Optimizers, "{}"));

        Assert.Contains("run.optimizer-opt.step-2.bin", OptimizerFiles());   // it failed after the optimiser files
        Assert.Equal(1, TrainingCheckpoint.SavedStep(_folder.Path, "run"));
        Assert.Equal(stateAtStep1, File.ReadAllBytes(Path.Combine(_folder.Path, "run.optimizer-opt.step-1.bin")));
        Assert.Equal(1, TrainingCheckpoint.Load(_folder.Path, "run", Modules, Optimizers));
    }

    [Fact]
    public void A_checkpoint_whose_optimiser_state_is_missing_is_refused_saying_how_to_start_over()
    {
        TrainingCheckpoint.Save(_folder.Path, "run", 5, Modules, Optimizers, "{}");
        File.Delete(Path.Combine(_folder.Path, "run.optimizer-opt.step-5.bin"));

        var error = Assert.Throws<CheckpointFormatException>(() => TrainingCheckpoint.Load(_folder.Path, "run", Modules, Optimizers));
        Assert.Contains("step 5", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Delete {_folder.Path}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("five")]
    [InlineData("-1")]
    public void A_weights_file_that_does_not_say_its_step_is_refused_by_name_not_crashed_on(string? step)
    {
        var path = TrainingCheckpoint.WeightsPath(_folder.Path, "run");
        var metadata = new Dictionary<string, string> { ["options"] = "{}" };
        if (step is not null)
        {
            metadata["step"] = step;
        }

        SafeTensorsWriter.Write(path, _module.state_dict().ToDictionary(p => "net." + p.Key, p => p.Value), metadata);

        foreach (var read in new Action[] { () => TrainingCheckpoint.SavedStep(_folder.Path, "run"), () => TrainingCheckpoint.Load(_folder.Path, "run", Modules, Optimizers) })
        {
            var error = Assert.Throws<CheckpointFormatException>(read);
            Assert.Equal(path, error.FilePath);
            Assert.Contains($"does not say which step it holds: it is not a training checkpoint of this SDK. Delete {_folder.Path}", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_checkpoint_written_before_optimiser_files_carried_their_step_still_resumes()
    {
        Step();
        TrainingCheckpoint.Save(_folder.Path, "run", 4, Modules, Optimizers, "{}");
        File.Move(Path.Combine(_folder.Path, "run.optimizer-opt.step-4.bin"), Path.Combine(_folder.Path, "run.optimizer-opt.bin"));
        using var fresh = nn.Linear(3, 2);
        using var freshOptimizer = HeldScalarAdam.Create(fresh.parameters(), 0.1);

        Assert.Equal(4, TrainingCheckpoint.Load(_folder.Path, "run", new Dictionary<string, nn.Module> { ["net"] = fresh },
            new Dictionary<string, OptimizerHelper> { ["opt"] = freshOptimizer }));
        Assert.True(fresh.weight!.equal(_module.weight!).all().item<bool>());

        // Its next checkpoint replaces the unstamped file.
        TrainingCheckpoint.Save(_folder.Path, "run", 5, Modules, Optimizers, "{}");
        Assert.Equal(["run.optimizer-opt.step-5.bin"], OptimizerFiles());

        TrainingCheckpoint.Delete(_folder.Path, "run", ["opt"]);
        Assert.Empty(Directory.GetFiles(_folder.Path));
    }
}
