using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Diagnostics;

/// <summary>
/// A debug switch for training and fitting loops: with <see cref="Variable"/> set to <c>1</c>, every step checks its
/// loss, its intermediate tensors, every gradient and every weight, and stops at the first that holds NaN or
/// infinity, naming it, the loop and the step. Off, it costs one branch per step.
/// </summary>
/// <remarks>
/// A NaN loss says only that something upstream went wrong, often many steps earlier. Whether it is a learning rate,
/// a kernel that computes wrongly on one CPU, or memory overwritten behind libtorch's back, the first tensor to go
/// non-finite (a weight's gradient, or an activation such as δ) says where to look.
/// </remarks>
public static class NonFiniteWatch
{
    /// <summary>The environment variable that turns the watch on (<c>1</c> or <c>true</c>).</summary>
    public const string Variable = "SEMANTIC_MANIPULATION_CHECK_FINITE";

    /// <summary>Whether loops check their tensors every step (read once, from <see cref="Variable"/>).</summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable(Variable) is "1" or "true" or "True" or "TRUE";

    /// <summary>Checks the named tensors and, for parameters, their gradients, in the order given.</summary>
    /// <param name="loop">The loop's name (e.g. "GAN discriminator").</param>
    /// <param name="step">The step being taken.</param>
    /// <param name="tensors">What to check, by name: the loss first, then intermediate results, then parameters.</param>
    /// <exception cref="NonFiniteTensorException">A tensor or gradient holds NaN or infinity.</exception>
    internal static void Check(string loop, long step, IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        if (Enabled)
        {
            Verify(loop, step, tensors);
        }
    }

    /// <summary>What <see cref="Check"/> does when the watch is on.</summary>
    internal static void Verify(string loop, long step, IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, tensor) in tensors)
        {
            if (tensor.grad is { } gradient)
            {
                Inspect(loop, step, $"the gradient of {name}", gradient);
            }

            Inspect(loop, step, name, tensor);
        }
    }

    /// <summary>A module's parameters by name, with a prefix that says whose they are.</summary>
    public static IEnumerable<(string Name, Tensor Tensor)> Parameters(string prefix, nn.Module module) =>
        module.named_parameters().Select(p => ($"{prefix}.{p.name}", (Tensor)p.parameter));

    private static void Inspect(string loop, long step, string name, Tensor tensor)
    {
        if (!tensor.is_floating_point())
        {
            return;
        }

        var bad = tensor.isfinite().logical_not();
        var count = bad.sum().item<long>();
        if (count > 0)
        {
            var kind = tensor.isnan().any().item<bool>() ? "NaN" : "infinity";
            throw new NonFiniteTensorException(
                $"{loop}, step {step}: {name} {Shape(tensor)} is the first non-finite tensor ({count} of {tensor.numel()} values, {kind}).");
        }
    }

    private static string Shape(Tensor tensor) => $"[{string.Join(", ", tensor.shape)}]";
}
