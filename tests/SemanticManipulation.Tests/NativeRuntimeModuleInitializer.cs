using System.Runtime.CompilerServices;
using SemanticManipulation.Runtime;

namespace SemanticManipulation.Tests;

/// <summary>
/// Prepares TorchSharp's native libraries before any test runs (also linked into the training tests).
/// </summary>
/// <remarks>
/// Some tests build tensors with <c>torch.*</c> before they touch an SDK type. Had TorchSharp's static constructor run
/// first on a host that needs the SDK's compatibility copy (Debian 12), it would fail for good and take every later
/// test in the process down with it; xunit's parallel test classes make which test comes first a race.
/// </remarks>
internal static class NativeRuntimeModuleInitializer
{
#pragma warning disable CA2255 // A module initializer in a test assembly: it must precede the first torch call.
    [ModuleInitializer]
    internal static void Initialize() => TorchRuntime.EnsureInitialized();
#pragma warning restore CA2255
}
