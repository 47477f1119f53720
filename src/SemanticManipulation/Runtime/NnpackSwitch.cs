using System.Runtime.InteropServices;

namespace SemanticManipulation.Runtime;

/// <summary>
/// Switches libtorch's NNPACK convolution backend off, through the same global flag as PyTorch's
/// <c>torch.backends.nnpack.flags(enabled=False)</c> (<c>at::Context::setUserEnabledNNPACK</c>).
/// </summary>
/// <remarks>
/// libtorch considers NNPACK for the convolutions oneDNN does not take (batch 1, small 1×1 problems, float64) and, on
/// CPUs NNPACK does not support, writes "Could not initialize NNPACK! Reason: Unsupported hardware." to standard error
/// at every such call: dozens of lines that a user of the CLI sees before anything the SDK says. The SDK has no use for
/// NNPACK (it falls back to the same convolution libtorch uses when NNPACK is unavailable), so it is switched off
/// before the first convolution. TorchSharp exposes no such switch; libtorch's C++ entry points are called directly
/// (Itanium C++ ABI: Linux and macOS). Where they cannot be found, nothing changes but the messages.
/// </remarks>
internal static unsafe class NnpackSwitch
{
    private const string GlobalContext = "_ZN2at13globalContextEv";
    private const string SetEnabled = "_ZN2at7Context20setUserEnabledNNPACKEb";
    private const string GetEnabled = "_ZNK2at7Context17userEnabledNNPACKEv";

    /// <summary>Turns NNPACK off; returns what happened, for the runtime's debug log.</summary>
    public static string Disable()
    {
        if (!TryResolve(out var context, out var library))
        {
            return "NNPACK switch not found";
        }

        var set = (delegate* unmanaged<IntPtr, byte, void>)NativeLibrary.GetExport(library, SetEnabled);
        set(context, 0);
        return "NNPACK switched off";
    }

    /// <summary>Whether libtorch would consider NNPACK; null when its switch cannot be found.</summary>
    public static bool? IsEnabled()
    {
        if (!TryResolve(out var context, out var library))
        {
            return null;
        }

        var get = (delegate* unmanaged<IntPtr, byte>)NativeLibrary.GetExport(library, GetEnabled);
        return get(context) != 0;
    }

    private static bool TryResolve(out IntPtr context, out IntPtr library)
    {
        context = IntPtr.Zero;
        var name = OperatingSystem.IsLinux() ? "libtorch_cpu.so" : OperatingSystem.IsMacOS() ? "libtorch_cpu.dylib" : null;
        if (name is null || !NativeLibrary.TryLoad(name, out library)
            || !NativeLibrary.TryGetExport(library, GlobalContext, out var globalContext)
            || !NativeLibrary.TryGetExport(library, SetEnabled, out _)
            || !NativeLibrary.TryGetExport(library, GetEnabled, out _))
        {
            library = IntPtr.Zero;
            return false;
        }

        context = ((delegate* unmanaged<IntPtr>)globalContext)();
        return context != IntPtr.Zero;
    }
}
