namespace SemanticManipulation.Editing;

/// <summary>A concept the catalog does not know; the message lists the concepts it does know.</summary>
public sealed class UnknownConceptException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="concept"/>.</summary>
    /// <param name="concept">The name asked for.</param>
    /// <param name="knownConcepts">The names the catalog knows.</param>
    public UnknownConceptException(string? concept, IEnumerable<string> knownConcepts)
        : this(concept, (knownConcepts ?? []).ToArray())
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public UnknownConceptException()
        : this(null, [])
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public UnknownConceptException(string message)
        : base(message)
    {
        KnownConcepts = [];
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public UnknownConceptException(string message, Exception innerException)
        : base(message, innerException)
    {
        KnownConcepts = [];
    }

    private UnknownConceptException(string? concept, string[] known)
        : base(Describe(concept, known))
    {
        Concept = concept;
        KnownConcepts = known;
    }

    /// <summary>The name asked for.</summary>
    public string? Concept { get; }

    /// <summary>The names the catalog knows.</summary>
    public IReadOnlyList<string> KnownConcepts { get; }

    private static string Describe(string? concept, string[] known)
    {
        var asked = string.IsNullOrWhiteSpace(concept) ? "No concept was given" : $"Unknown concept '{concept}'";
        if (known.Length == 0)
        {
            return $"{asked}, and the catalog has no concepts.";
        }

        var suggestion = concept is null ? null : Closest(concept, known);
        return $"{asked}. Known concepts: {string.Join(", ", known)}." +
            (suggestion is null ? "" : $" Did you mean '{suggestion}'?");
    }

    /// <summary>The known name within a typo of what was typed, if any ("tre" for "tree"): one edit for short names, two
    /// for longer ones, so that "tree" is not taken for "red".</summary>
    private static string? Closest(string concept, string[] known)
    {
        var typed = concept.ToUpperInvariant();
        var best = known
            .Select(k => (Name: k, Distance: EditDistance(typed, k.ToUpperInvariant())))
            .OrderBy(k => k.Distance)
            .FirstOrDefault();
        var allowed = Math.Min(concept.Length, best.Name?.Length ?? 0) <= 4 ? 1 : 2;
        return best.Name is not null && best.Distance <= allowed ? best.Name : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
