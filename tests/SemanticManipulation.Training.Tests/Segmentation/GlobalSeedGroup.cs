using Xunit;

namespace SemanticManipulation.Training.Tests.Segmentation;

/// <summary>Tests that must not run beside others because they seed libtorch's global generator.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalSeedGroup
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Seeds libtorch's global generator";
}
