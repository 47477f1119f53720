using SemanticManipulation.Diagnostics;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Diagnostics;

public sealed class NonFiniteWatchTests
{
    [Fact]
    public void The_first_non_finite_tensor_of_a_step_is_named_with_its_loop_step_and_count()
    {
        using var scope = NewDisposeScope();
        var activation = ones(2, 3);
        activation[1, 2] = tensor(float.NaN);
        var later = full(4, float.PositiveInfinity);

        var error = Assert.Throws<NonFiniteTensorException>(() => NonFiniteWatch.Verify("GAN discriminator", 4,
            [("the loss", tensor(0.5f)), ("the activation", activation), ("a later tensor", later)]));

        Assert.Equal("GAN discriminator, step 4: the activation [2, 3] is the first non-finite tensor (1 of 6 values, NaN).", error.Message);
    }

    [Fact]
    public void A_parameters_gradient_is_checked_before_its_value()
    {
        using var scope = NewDisposeScope();
        using var layer = nn.Linear(3, 2);
        var output = layer.forward(full(1, 3, float.PositiveInfinity));
        output.sum().backward();

        var error = Assert.Throws<NonFiniteTensorException>(() =>
            NonFiniteWatch.Verify("Adaptation", 12, NonFiniteWatch.Parameters("R", layer)));

        Assert.StartsWith("Adaptation, step 12: the gradient of R.weight [2, 3]", error.Message, StringComparison.Ordinal);
        Assert.Contains("infinity", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Finite_tensors_and_integer_tensors_pass()
    {
        using var scope = NewDisposeScope();
        using var layer = nn.Linear(3, 2);
        layer.forward(ones(1, 3)).sum().backward();

        NonFiniteWatch.Verify("Segmenter training", 1, [("the labels", arange(5)), .. NonFiniteWatch.Parameters("segmenter", layer)]);
    }
}
