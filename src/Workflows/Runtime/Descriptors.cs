using System.Reflection;
using GovFlow.Workflows.Model;

namespace GovFlow.Workflows.Runtime;

/// <summary>Declares an activity type: its Elsa-style type name, toolbox category and display names.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ActivityAttribute(string typeName, string category, string displayName) : Attribute
{
    /// <summary>Type name as written in JSON.</summary>
    public string TypeName { get; } = typeName;

    /// <summary>Toolbox category.</summary>
    public string Category { get; } = category;

    /// <summary>English display name.</summary>
    public string DisplayName { get; } = displayName;

    /// <summary>Chinese display name.</summary>
    public string? DisplayNameZh { get; set; }

    /// <summary>What the activity does.</summary>
    public string? Description { get; set; }

    /// <summary>Outcome ports (default: Done).</summary>
    public string[] Outcomes { get; set; } = ["Done"];

    /// <summary>Whether it can start a workflow (a trigger).</summary>
    public bool IsTrigger { get; set; }

    /// <summary>Whether it holds other activities.</summary>
    public bool IsContainer { get; set; }

    /// <summary>Whether the designer hides it from the toolbox.</summary>
    public bool Browsable { get; set; } = true;

    /// <summary>Elsa's activity kind; <see cref="ActivityKind.Task"/> marks work done by a person.</summary>
    public ActivityKind Kind { get; set; } = ActivityKind.Action;
}

/// <summary>Elsa's activity kinds.</summary>
public enum ActivityKind
{
    /// <summary>Does its work and completes.</summary>
    Action,
    /// <summary>Can start a workflow.</summary>
    Trigger,
    /// <summary>Work done by a person (an inbox task).</summary>
    Task,
    /// <summary>Long-running background work.</summary>
    Job
}

/// <summary>Declares an input of an activity type.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class InputAttribute(string name, Type type) : Attribute
{
    /// <summary>JSON property name (camelCase).</summary>
    public string Name { get; } = name;

    /// <summary>CLR type of the evaluated value.</summary>
    public Type Type { get; } = type;

    /// <summary>Label.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Chinese label.</summary>
    public string? DisplayNameZh { get; set; }

    /// <summary>Help text.</summary>
    public string? Description { get; set; }

    /// <summary>Editor hint: singleline, multiline, checkbox, dropdown, json, code, ...</summary>
    public string UiHint { get; set; } = "singleline";

    /// <summary>Choices for a dropdown.</summary>
    public string[]? Options { get; set; }

    /// <summary>Default value as text.</summary>
    public string? DefaultValue { get; set; }

    /// <summary>Whether the input must be given.</summary>
    public bool Required { get; set; }

    /// <summary>The expression syntax the designer starts a new value in (Literal, JavaScript, Liquid...).</summary>
    public string DefaultSyntax { get; set; } = "Literal";
}

/// <summary>Declares an output of an activity type.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class OutputAttribute(string name, Type type) : Attribute
{
    /// <summary>JSON property name (camelCase).</summary>
    public string Name { get; } = name;

    /// <summary>CLR type.</summary>
    public Type Type { get; } = type;

    /// <summary>Label.</summary>
    public string? DisplayName { get; set; }
}

/// <summary>
/// Declares a child slot of a container activity (If's then and else, a loop's body): one activity held in a property
/// of the node rather than reached by a connection — Elsa's embedded port.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class ChildPortAttribute(string name, string displayName) : Attribute
{
    /// <summary>JSON property name of the child (camelCase).</summary>
    public string Name { get; } = name;

    /// <summary>Label.</summary>
    public string DisplayName { get; } = displayName;
}

/// <summary>A child slot of a container activity.</summary>
public sealed record ChildPortDescriptor(string Name, string DisplayName);

/// <summary>
/// Describes an input for the designer, the compiler and the activity that reads it: declared once (by
/// <see cref="InputAttribute"/>), so the toolbox, the required-input check and the value's type cannot disagree.
/// </summary>
public sealed record InputDescriptor(string Name, string TypeName, string DisplayName, string? DisplayNameZh, string? Description, string UiHint, IReadOnlyList<string>? Options, string? DefaultValue, bool Required, string DefaultSyntax)
{
    /// <summary>The CLR type the value is converted to when the activity evaluates it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Type ClrType { get; init; } = typeof(object);
}

/// <summary>Describes an output.</summary>
public sealed record OutputDescriptor(string Name, string TypeName, string DisplayName);

/// <summary>Everything the designer's toolbox and the compiler need to know about an activity type.</summary>
public sealed class ActivityDescriptor
{
    /// <summary>Type name.</summary>
    public required string TypeName { get; init; }

    /// <summary>Type version.</summary>
    public int Version { get; init; } = 1;

    /// <summary>Toolbox category.</summary>
    public required string Category { get; init; }

    /// <summary>English display name.</summary>
    public required string DisplayName { get; init; }

    /// <summary>Chinese display name.</summary>
    public string? DisplayNameZh { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary>Inputs.</summary>
    public IReadOnlyList<InputDescriptor> Inputs { get; init; } = [];

    /// <summary>Outputs.</summary>
    public IReadOnlyList<OutputDescriptor> Outputs { get; init; } = [];

    /// <summary>Outcome ports.</summary>
    public IReadOnlyList<string> Outcomes { get; init; } = ["Done"];

    /// <summary>Whether it is a trigger.</summary>
    public bool IsTrigger { get; init; }

    /// <summary>Whether it is a container.</summary>
    public bool IsContainer { get; init; }

    /// <summary>Whether the toolbox shows it.</summary>
    public bool Browsable { get; init; } = true;

    /// <summary>Activity kind.</summary>
    public ActivityKind Kind { get; init; } = ActivityKind.Action;

    /// <summary>Creates the executable activity from a node.</summary>
    public required Func<ActivityNode, ActivityBuildContext, Activity> Factory { get; init; }

    /// <summary>Child slots holding one activity each (Elsa's embedded ports), in declaration order.</summary>
    public IReadOnlyList<ChildPortDescriptor> ChildPorts { get; init; } = [];

    /// <summary>Builds a descriptor from an activity class's attributes; the class needs a (ActivityNode, ActivityBuildContext) constructor.</summary>
    public static ActivityDescriptor FromType(Type type)
    {
        var a = type.GetCustomAttribute<ActivityAttribute>() ?? throw new ArgumentException($"{type.Name} has no [Activity] attribute.");
        var ctor = type.GetConstructor([typeof(ActivityNode), typeof(ActivityBuildContext)])
                   ?? throw new ArgumentException($"{type.Name} needs a constructor (ActivityNode, ActivityBuildContext).");
        return new ActivityDescriptor
        {
            TypeName = a.TypeName,
            Category = a.Category,
            DisplayName = a.DisplayName,
            DisplayNameZh = a.DisplayNameZh,
            Description = a.Description,
            Outcomes = a.Outcomes,
            IsTrigger = a.IsTrigger,
            IsContainer = a.IsContainer,
            Browsable = a.Browsable,
            Kind = a.IsTrigger && a.Kind == ActivityKind.Action ? ActivityKind.Trigger : a.Kind,
            Inputs = type.GetCustomAttributes<InputAttribute>()
                .Select(i => new InputDescriptor(i.Name, TypeAlias(i.Type), i.DisplayName ?? Humanize(i.Name), i.DisplayNameZh, i.Description, i.UiHint, i.Options, i.DefaultValue, i.Required, i.DefaultSyntax) { ClrType = i.Type }).ToList(),
            Outputs = type.GetCustomAttributes<OutputAttribute>().Select(o => new OutputDescriptor(o.Name, TypeAlias(o.Type), o.DisplayName ?? Humanize(o.Name))).ToList(),
            ChildPorts = type.GetCustomAttributes<ChildPortAttribute>().Select(p => new ChildPortDescriptor(p.Name, p.DisplayName)).ToList(),
            Factory = (node, build) =>
            {
                // The constructor's own exception, not reflection's wrapper, is what the author needs to see.
                try { return (Activity)ctor.Invoke([node, build]); }
                catch (TargetInvocationException ex) when (ex.InnerException is { } inner)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
                    throw;
                }
            }
        };
    }

    /// <summary>The Elsa alias of a CLR type.</summary>
    public static string TypeAlias(Type t) =>
        t == typeof(string) ? "String" : t == typeof(bool) ? "Boolean" : t == typeof(int) ? "Int32" : t == typeof(long) ? "Int64"
        : t == typeof(double) ? "Double" : t == typeof(decimal) ? "Decimal" : t == typeof(TimeSpan) ? "TimeSpan"
        : t == typeof(DateTimeOffset) ? "DateTimeOffset" : t == typeof(DateTime) ? "DateTime"
        : t == typeof(List<string>) ? "String[]" : t == typeof(List<object?>) ? "Object[]"
        : t == typeof(Dictionary<string, object?>) ? "ExpandoObject" : t.IsEnum ? "String" : "Object";

    private static string Humanize(string name) =>
        string.Concat(Naming.Pascalize(name).Select((c, i) => i > 0 && char.IsUpper(c) ? " " + c : c.ToString()));
}

/// <summary>The activity types the engine can run, by type name.</summary>
public sealed class ActivityRegistry
{
    private readonly Dictionary<string, ActivityDescriptor> _descriptors = new(StringComparer.Ordinal);

    /// <summary>All registered descriptors.</summary>
    public IEnumerable<ActivityDescriptor> Descriptors => _descriptors.Values;

    /// <summary>Registers a descriptor (replacing one of the same name).</summary>
    public ActivityRegistry Register(ActivityDescriptor descriptor)
    {
        _descriptors[descriptor.TypeName] = descriptor;
        return this;
    }

    /// <summary>Registers an activity class by its attributes.</summary>
    public ActivityRegistry Register<T>() where T : Activity => Register(ActivityDescriptor.FromType(typeof(T)));

    /// <summary>Registers every activity class with an [Activity] attribute in an assembly.</summary>
    public ActivityRegistry RegisterAssembly(Assembly assembly)
    {
        foreach (var t in assembly.GetTypes())
            if (!t.IsAbstract && typeof(Activity).IsAssignableFrom(t) && t.GetCustomAttribute<ActivityAttribute>() != null)
                Register(ActivityDescriptor.FromType(t));
        return this;
    }

    /// <summary>Finds a descriptor.</summary>
    public ActivityDescriptor? Find(string typeName) => _descriptors.GetValueOrDefault(typeName);

    /// <summary>The registry of Elsa's built-in activities.</summary>
    public static ActivityRegistry CreateDefault() => new ActivityRegistry().RegisterAssembly(typeof(ActivityRegistry).Assembly);
}
