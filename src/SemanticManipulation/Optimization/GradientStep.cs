using SemanticManipulation.Diagnostics;
using static TorchSharp.torch;

namespace SemanticManipulation.Optimization;

/// <summary>One descent on a loss: back-propagate, let <see cref="NonFiniteWatch"/> look, update.</summary>
public static class GradientStep
{
    /// <summary>Back-propagates <paramref name="loss"/>, checks the loss and <paramref name="watched"/> (with the watch
    /// on) before anything is updated, then steps <paramref name="optimizer"/>.</summary>
    /// <param name="loss">The step's scalar loss.</param>
    /// <param name="optimizer">The optimiser of the parameters the loss trains.</param>
    /// <param name="loop">The loop's name in the watch's message (e.g. <c>GAN discriminator</c>).</param>
    /// <param name="step">The step being taken, 1-based.</param>
    /// <param name="watched">Intermediate results, then parameters, by name.</param>
    /// <exception cref="NonFiniteTensorException">The watch is on and a tensor or gradient holds NaN or infinity.</exception>
    public static void Take(Tensor loss, optim.Optimizer optimizer, string loop, long step, IEnumerable<(string Name, Tensor Tensor)> watched)
    {
        loss.backward();
        NonFiniteWatch.Check(loop, step, watched.Prepend(("the loss", loss)));
        optimizer.step();
    }
}
