# Just enough of nixpkgs' `lib` to evaluate nix/module.nix and nix/package.nix without nixpkgs.
# Option declarations become plain records; mkIf/mkMerge/mkDefault keep their arguments visible
# so a test can look at both the condition and what it guards (eval-module.nix's `resolve`
# merges them the way the module system would). A submodule type keeps its module, so that the
# test can apply the defaults of its declared options.
let
  option = kind: attrs: attrs // { _type = "option"; inherit kind; };
in
rec {
  mkOption = attrs: option "option" attrs;
  mkEnableOption =
    name:
    option "enable" {
      type = types.bool;
      default = false;
      description = "Whether to enable ${name}.";
    };
  mkIf = condition: content: {
    _type = "if";
    inherit condition content;
  };
  mkMerge = contents: {
    _type = "merge";
    inherit contents;
  };
  mkDefault = content: {
    _type = "override";
    priority = 1000;
    inherit content;
  };
  literalExpression = text: {
    _type = "literalExpression";
    inherit text;
  };

  types = {
    bool = { name = "bool"; };
    package = { name = "package"; };
    str = { name = "str"; };
    ints.between = lowest: highest: {
      name = "intBetween";
      inherit lowest highest;
    };
    enum = values: {
      name = "enum";
      inherit values;
    };
    nullOr = type: {
      name = "nullOr";
      inherit type;
    };
    submodule = module: {
      name = "submodule";
      inherit module;
    };
  };

  optional = condition: element: if condition then [ element ] else [ ];
  unique = builtins.foldl' (seen: x: if builtins.elem x seen then seen else seen ++ [ x ]) [ ];
  concatMapStrings = f: list: builtins.concatStringsSep "" (map f list);
  inherit (builtins) concatStringsSep concatMap;
  versions.major = version: builtins.head (builtins.splitVersion version);
  recursiveUpdate =
    a: b:
    a
    // builtins.mapAttrs (
      name: value:
      if builtins.isAttrs value && builtins.isAttrs (a.${name} or null) then recursiveUpdate a.${name} value else value
    ) b;

  hasPrefix = prefix: text: builtins.substring 0 (builtins.stringLength prefix) text == prefix;
  cleanSource = src: src;
  cleanSourceWith = { src, filter ? null, ... }: src;
  platforms.linux = [ "x86_64-linux" ];
}
