using Acornima.Ast;

namespace GovFlow.Workflows.Expressions;

/// <summary>
/// Whether a parsed script may leave something on the global object of the engine it ran on: a <c>var</c> or
/// function declared outside any function, an assignment to a name it never declares (sloppy JavaScript makes that
/// a global), or a way to the global object itself (<c>this</c>, <c>globalThis</c>; eval and <c>Function</c> are off).
/// Only such scripts pay for clearing the globals afterwards. Conservative: a false "yes" costs time, never isolation.
/// </summary>
internal static class GlobalLeaks
{
    public static bool Possible(Node program)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal);
        var assigned = new HashSet<string>(StringComparer.Ordinal);
        return Walk(program, false, declared, assigned) || assigned.Any(a => !declared.Contains(a));
    }

    /// <summary>Whether the script returns outside any function (the engine accepts it; it is run as a function body).</summary>
    public static bool ReturnsAtTopLevel(Node node) => node switch
    {
        ReturnStatement => true,
        IFunction => false,
        _ => node.ChildNodes.Any(ReturnsAtTopLevel)
    };

    private static bool Walk(Node node, bool inFunction, HashSet<string> declared, HashSet<string> assigned)
    {
        switch (node)
        {
            case ThisExpression:
            case Identifier { Name: "globalThis" }:
            case VariableDeclaration { Kind: VariableDeclarationKind.Var } when !inFunction:
            case FunctionDeclaration when !inFunction:
                return true;
            case AssignmentExpression a:
                Targets(a.Left, assigned, all: true);
                break;
            case UpdateExpression { Argument: Identifier id }:
                assigned.Add(id.Name);
                break;
            case ForInStatement { Left: not VariableDeclaration } forIn:
                Targets(forIn.Left, assigned, all: true);
                break;
            case ForOfStatement { Left: not VariableDeclaration } forOf:
                Targets(forOf.Left, assigned, all: true);
                break;
            case VariableDeclarator d:
                Targets(d.Id, declared, all: false);
                break;
            case CatchClause { Param: { } param }:
                Targets(param, declared, all: false);
                break;
            case ClassDeclaration { Id: { } classId }:
                declared.Add(classId.Name);
                break;
            case IFunction f:
                if (f.Id is { } functionId) declared.Add(functionId.Name);
                foreach (var p in f.Params) Targets(p, declared, all: false);
                break;
        }
        var inside = inFunction || node is IFunction;
        foreach (var child in node.ChildNodes)
            if (Walk(child, inside, declared, assigned)) return true;
        return false;
    }

    // The names a pattern binds. 'all' (for assignment targets) also takes every identifier in it, keys included:
    // more names assigned only makes the answer more cautious, while more names declared could hide a leak.
    private static void Targets(Node? pattern, HashSet<string> names, bool all)
    {
        switch (pattern)
        {
            case null:
                return;
            case Identifier id:
                names.Add(id.Name);
                return;
            case ArrayPattern array:
                foreach (var element in array.Elements) Targets(element, names, all);
                return;
            case ObjectPattern obj:
                foreach (var property in obj.Properties)
                    Targets(property is AssignmentProperty ap ? ap.Value : property, names, all);
                return;
            case RestElement rest:
                Targets(rest.Argument, names, all);
                return;
            case AssignmentPattern withDefault:
                Targets(withDefault.Left, names, all);
                return;
            default:
                if (all)
                    foreach (var child in pattern.ChildNodes) Targets(child, names, all);
                return;
        }
    }
}
