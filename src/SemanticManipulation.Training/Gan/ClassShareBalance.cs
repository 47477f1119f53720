using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Gan;

/// <summary>
/// Pulls the long-run share of each class (as the frozen segmenter sees it) in the generator that ships, the moving
/// average of the trained one's weights, toward the world's: running averages of both shares, over a few hundred
/// images, set a coefficient per class, and the trained generator's loss gains
/// <c>Σ_c k_c · s_c</c>, where <c>s_c</c> is the class's mean probability over the judged batch and
/// <c>k_c = clamp((S_c − T_c) / T_c, −1, 1)</c> the class's relative excess in the running averages (generated <c>S</c>,
/// world <c>T</c>). Its gradient is that of a chi-square distance between the two class distributions, estimated from
/// the averages instead of one small batch, so it asks for more of a class the generator draws too rarely without
/// also penalising the batch-to-batch variety a per-batch distance would.
/// </summary>
/// <remarks>
/// The semantic discriminator sees a few scenes a step and judges how each one is made up; a mode the generator has
/// half-dropped (at 128² domes, a scene kind present in a third of the world) barely moves its score. The shares are
/// those of the average's images, not the trained generator's: averaging weights loses such a mode by itself (at 128²,
/// with this balance on the trained generator's own images, it drew domes at the world's 1.8 % while its average drew
/// 1.0 %, and 1.3 % with the average's half-life cut to a quarter), so the trained generator is asked for whatever makes
/// the average right. The averages are buffers, so checkpoints carry them and a resumed run continues with the
/// estimates it had.
/// </remarks>
internal sealed class ClassShareBalance : nn.Module
{
    /// <summary>Half-life, in steps, of the running averages: at four judged images a step, a few hundred scenes.</summary>
    internal const int HalfLifeSteps = 100;

    private readonly Tensor _world;
    private readonly Tensor _generated;
    private readonly Tensor _seen;

    /// <param name="classes">The segmenter's label count.</param>
    public ClassShareBalance(int classes)
        : base(nameof(ClassShareBalance))
    {
        _world = zeros(classes);
        _generated = zeros(classes);
        _seen = zeros(1);
        register_buffer("world", _world);
        register_buffer("generated", _generated);
        register_buffer("seen", _seen);
    }

    /// <summary>The running world and generated shares per class (copies).</summary>
    public (float[] World, float[] Generated) Shares => (_world.data<float>().ToArray(), _generated.data<float>().ToArray());

    /// <summary>The running shares as text, the classes furthest from the world's first (e.g. "dome 0.9/1.8 %").</summary>
    public static string Describe(IReadOnlyList<string> labels, float[] world, float[] generated) =>
        string.Join(", ", labels.Select((label, c) => (label, c))
            .OrderByDescending(x => Math.Abs(generated[x.c] - world[x.c]) / Math.Max(world[x.c], 1e-4f))
            .Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.label} {100 * generated[x.c]:F1}/{100 * world[x.c]:F1} %")));

    /// <summary>Folds one step's class maps (probabilities, <c>[N, classes, H, W]</c>, no gradient) into the averages.</summary>
    public void Observe(Tensor worldMaps, Tensor generatedMaps)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var world = worldMaps.mean([0, 2, 3]);
        var generated = generatedMaps.mean([0, 2, 3]);
        using Scalar one = 1;
        var seen = _seen.item<float>();
        _seen.add_(one);
        if (seen == 0)
        {
            _world.copy_(world);
            _generated.copy_(generated);
            return;
        }

        // A held Scalar: TorchSharp can finalize an implicit one while libtorch still reads it.
        var beta = Math.Pow(0.5, 1.0 / HalfLifeSteps);
        using Scalar keep = beta;
        using Scalar take = 1 - beta;
        _world.mul_(keep).add_(world, alpha: take);
        _generated.mul_(keep).add_(generated, alpha: take);
    }

    /// <summary>Whether the averages have seen a half-life of steps: before that they are a few images' worth, and the
    /// balance would push after their noise (a run that switches it on later starts it cold).</summary>
    public bool Warm => _seen.item<float>() >= HalfLifeSteps;

    /// <summary>The balancing loss for generated class probabilities <c>[N, classes, H, W]</c> (with gradient); zero
    /// until the averages are <see cref="Warm"/>.</summary>
    public Tensor Loss(Tensor generatedProbabilities)
    {
        if (!Warm)
        {
            return zeros([], generatedProbabilities.dtype);
        }

        using var scope = NewDisposeScope();
        Tensor excess;
        using (no_grad())
        {
            // A class the world's batches have not shown yet has no share to aim at: leave it alone.
            using Scalar floor = 1e-4, low = -1, high = 1;
            var present = _world.gt(floor);
            excess = ((_generated - _world) / _world.clamp_min(floor)).clamp(low, high).where(present, zeros_like(_world));
        }

        return (generatedProbabilities.mean([0, 2, 3]) * excess).sum().MoveToOuterDisposeScope();
    }
}
