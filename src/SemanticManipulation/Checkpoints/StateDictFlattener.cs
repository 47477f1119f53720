using System.Globalization;
using System.Numerics;

namespace SemanticManipulation.Checkpoints;

/// <summary>
/// Walks the object a checkpoint pickle builds and lists its tensors under dotted names, the way users address them:
/// <c>{"state_dict": {"layer1.conv.weight": t}}</c> yields <c>state_dict.layer1.conv.weight</c>.
/// </summary>
/// <remarks>Only dicts are descended into. Ints, strings, lists (e.g. optimizer state) and objects outside the
/// allow-list are skipped, except objects PyTorch uses to rebuild tensors, which mean a tensor could not be read.</remarks>
internal static class StateDictFlattener
{
    private const int MaxDepth = 64;

    /// <summary>The tensors in the order the checkpoint lists them. A bare tensor at the root is named "".</summary>
    public static List<KeyValuePair<string, TensorReference>> Flatten(object? root, CheckpointSource source)
    {
        var result = new List<KeyValuePair<string, TensorReference>>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var path = new HashSet<PickleDict>(ReferenceEqualityComparer.Instance);
        Visit(root, string.Empty, 0);
        return result;

        void Visit(object? value, string name, int depth)
        {
            switch (value)
            {
                case TensorReference tensor:
                    if (!names.Add(name))
                    {
                        throw source.Error($"is ambiguous: it holds two tensors that are both named '{name}'.");
                    }

                    result.Add(new(name, tensor));
                    break;
                case PickleDict dict:
                    if (depth >= MaxDepth)
                    {
                        throw source.Error($"nests dicts more than {MaxDepth} levels deep under '{name}'.");
                    }

                    // A dict that (through the memo) contains itself holds no further tensors; stop rather than loop.
                    if (!path.Add(dict))
                    {
                        return;
                    }

                    foreach (var (key, child) in dict.Entries)
                    {
                        var keyText = KeyText(key);
                        if (keyText is not null)
                        {
                            Visit(child, name.Length == 0 ? keyText : name + "." + keyText, depth + 1);
                        }
                    }

                    path.Remove(dict);
                    break;
                case PickleObject { IsTensorLike: true } unsupported:
                    throw source.Error(
                        $"stores tensor '{name}' with {unsupported}, which this reader does not support " +
                        "(supported: torch._utils._rebuild_tensor_v2 and _rebuild_parameter, i.e. dense CPU/GPU tensors).");
            }
        }
    }

    private static string? KeyText(object? key) => key switch
    {
        string text => text,
        long number => number.ToString(CultureInfo.InvariantCulture),
        BigInteger number => number.ToString(CultureInfo.InvariantCulture),
        bool flag => flag ? "True" : "False",
        _ => null,
    };
}
