using SemanticManipulation.Optimization;
using SemanticManipulation.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Optimization;

public sealed class HeldScalarAdamTests
{
    public static TheoryData<double, double, double, bool, bool> Settings => new()
    {
        { 0.9, 0.99, 0.0, false, false },   // TorchSharp's factory defaults: refinement, adaptation, segmenter, encoder
        { 0.0, 0.99, 0.0, false, false },   // the GAN trainer's
        { 0.9, 0.999, 0.01, false, false }, // weight decay
        { 0.9, 0.99, 0.0, true, false },    // AMSGrad
        { 0.9, 0.99, 0.0, false, true },    // maximise
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Updates_match_TorchSharps_Adam_to_the_bit(double beta1, double beta2, double weightDecay, bool amsgrad, bool maximize)
    {
        using var reference = Problem.Create(seed: 7);
        using var held = Problem.Create(seed: 7);
        using var referenceAdam = new Adam(reference.Parameters, 0.05, beta1, beta2, 1e-8, weightDecay, amsgrad, maximize);
        using var heldAdam = HeldScalarAdam.Create(held.Parameters, 0.05, beta1, beta2, 1e-8, weightDecay, amsgrad, maximize);

        for (var step = 0; step < 25; step++)
        {
            reference.Step(referenceAdam);
            held.Step(heldAdam);
            held.AssertSameParameters(reference, $"after step {step + 1}");
        }
    }

    [Fact]
    public void A_checkpoint_of_TorchSharps_Adam_continues_in_HeldScalarAdam_as_it_would_have()
    {
        using var directory = new TemporaryDirectory();
        using var reference = Problem.Create(seed: 3);
        using var resumed = Problem.Create(seed: 3);
        using var referenceAdam = new Adam(reference.Parameters, 0.05, 0.0, 0.99);
        for (var step = 0; step < 10; step++)
        {
            reference.Step(referenceAdam);
        }

        referenceAdam.save_state_dict(directory.File("adam.bin"));
        resumed.CopyFrom(reference);
        using var resumedAdam = HeldScalarAdam.Create(resumed.Parameters, 0.05, 0.0, 0.99);
        resumedAdam.load_state_dict(directory.File("adam.bin"));

        for (var step = 0; step < 10; step++)
        {
            reference.Step(referenceAdam);
            resumed.Step(resumedAdam);
        }

        resumed.AssertSameParameters(reference, "after resuming");
    }

    [Fact]
    public void Steps_survive_garbage_collections_on_another_thread()
    {
        // TorchSharp's own Adam fails this within a few hundred steps ("Unknown scalar type", "Expected false to be
        // true"): its temporary Scalars are finalized while libtorch reads them. Nothing here makes a temporary one.
        using var problem = Problem.Create(seed: 11, tensors: 40);
        using var adam = HeldScalarAdam.Create(problem.Parameters, 1e-3);
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }) { IsBackground = true };
        collector.Start();
        try
        {
            for (var step = 0; step < 1500; step++)
            {
                problem.Step(adam);
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
    }

    /// <summary>A few parameter tensors and a loss without temporary Scalars, so that only the optimiser is under test.</summary>
    private sealed class Problem : IDisposable
    {
        private readonly Tensor[] _targets;

        private Problem(List<Parameter> parameters, Tensor[] targets)
        {
            Parameters = parameters;
            _targets = targets;
        }

        public List<Parameter> Parameters { get; }

        public static Problem Create(long seed, int tensors = 4)
        {
            TorchRuntime.EnsureInitialized();
            var random = new Generator(0, CPU).manual_seed(seed);
            var parameters = new List<Parameter>();
            var targets = new Tensor[tensors];
            for (var i = 0; i < tensors; i++)
            {
                parameters.Add(new Parameter(randn([3, 5], generator: random)));
                targets[i] = randn([3, 5], generator: random);
            }

            return new Problem(parameters, targets);
        }

        public void Step(OptimizerHelper optimizer)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            // mse_loss and stack/sum take no Scalar operand (even Tensor + Tensor makes one, for its alpha).
            var loss = stack(Parameters.Select((p, i) => nn.functional.mse_loss(p, _targets[i], nn.Reduction.Sum))).sum();
            loss.backward();
            optimizer.step();
        }

        public void AssertSameParameters(Problem expected, string when)
        {
            for (var i = 0; i < Parameters.Count; i++)
            {
                using var same = Parameters[i].equal(expected.Parameters[i]).all();
                Assert.True(same.item<bool>(), $"parameter {i} differs {when}");
            }
        }

        public void CopyFrom(Problem other)
        {
            using var noGrad = no_grad();
            for (var i = 0; i < Parameters.Count; i++)
            {
                Parameters[i].copy_(other.Parameters[i]);
            }
        }

        public void Dispose()
        {
            foreach (var tensor in Parameters.Cast<Tensor>().Concat(_targets))
            {
                tensor.Dispose();
            }
        }
    }
}
