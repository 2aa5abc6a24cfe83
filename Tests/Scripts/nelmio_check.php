<?php
// Reads a nelmio_cors.yaml with Symfony's own YAML component (Debian php-symfony-yaml)
// and checks it against NelmioCorsBundle's configuration tree: exactly the keys of
// DependencyInjection/Configuration.php with their node types, plus corslog's own
// rules (every path sets every key, defaults empty, forced_allow_origin_value unset,
// origin regexes compile, are case-sensitive and anchored).
//
//   php nelmio_check.php FILE                 -> "ok" and the parsed config as JSON, or errors (exit 1)
//   php nelmio_check.php FILE eval < REQUESTS -> the bundle's answer to each request as JSON
//
// `eval` restates, in this file's own code, the decision logic of the bundle
// (NelmioCorsExtension::load, ConfigProvider::getOptions, CorsListener) run on
// the real PHP and PCRE: the bundle itself is not packaged for Debian, and
// cannot be installed here, so this is a model of it, not the bundle.
require '/usr/share/php/Symfony/Component/Yaml/autoload.php';

use Symfony\Component\Yaml\Yaml;
use Symfony\Component\Yaml\Exception\ParseException;

$file = $argv[1];
try {
    $config = Yaml::parseFile($file);
} catch (ParseException $e) {
    fwrite(STDERR, 'YAML: ' . $e->getMessage() . "\n");
    exit(2);
}

// The bundle's nodes (Configuration.php, current version) and their types.
$types = [
    'allow_credentials' => 'bool', 'allow_origin' => 'list', 'allow_headers' => 'list',
    'allow_methods' => 'list', 'allow_private_network' => 'bool', 'expose_headers' => 'list',
    'max_age' => 'int', 'hosts' => 'list', 'origin_regex' => 'bool',
    'forced_allow_origin_value' => 'scalar', 'skip_same_as_origin' => 'bool',
];
// What corslog writes in every path: all that can differ between rules.
$required = ['allow_origin', 'origin_regex', 'allow_methods', 'allow_headers', 'expose_headers', 'max_age', 'allow_credentials'];
$errors = [];

function check_options(array $opts, string $where, array $types, array &$errors): void {
    foreach ($opts as $key => $value) {
        if (!isset($types[$key])) { $errors[] = "$where: unknown key $key"; continue; }
        $ok = match ($types[$key]) {
            'bool' => is_bool($value),
            'int' => is_int($value) && $value >= 0,
            'scalar' => is_scalar($value) || $value === null,
            'list' => is_array($value) && array_is_list($value)
                && count(array_filter($value, fn($v) => !is_string($v))) === 0,
        };
        if (!$ok) { $errors[] = "$where: $key is not a " . $types[$key]; }
    }
    if (array_key_exists('forced_allow_origin_value', $opts)) { $errors[] = "$where: forced_allow_origin_value must stay unset"; }
    if (!empty($opts['hosts'])) { $errors[] = "$where: hosts must be empty"; }
    foreach ($opts['allow_origin'] ?? [] as $entry) {
        if (!is_string($entry)) { continue; }
        if ($entry === '*') { $errors[] = "$where: allow_origin has *"; }
        if (($opts['origin_regex'] ?? false) === true) {
            if (!preg_match('/^\(\?-i\)\^.*\\\\z$/', $entry)) { $errors[] = "$where: origin regex $entry is not (?-i)^...\\z"; }
            if (@preg_match('{' . $entry . '}i', '') === false) { $errors[] = "$where: origin regex $entry does not compile"; }
        } elseif (!preg_match('~^(https?)://[a-z0-9.\[\]:-]+$~', $entry)) {
            $errors[] = "$where: $entry is not a serialised origin";
        }
    }
}

if (!is_array($config) || array_keys($config) !== ['nelmio_cors']) {
    $errors[] = 'the file must hold exactly nelmio_cors';
} else {
    $root = $config['nelmio_cors'];
    if (!is_array($root) || array_diff(array_keys($root), ['defaults', 'paths'])) {
        $errors[] = 'nelmio_cors takes defaults and paths only';
    } else {
        $defaults = $root['defaults'] ?? [];
        check_options($defaults, 'defaults', $types, $errors);
        foreach ($defaults as $key => $value) {
            if ($key !== 'skip_same_as_origin' && $value !== [] && $value !== false && $value !== 0) {
                $errors[] = "defaults: $key must be empty, or every path inherits it";
            }
        }
        foreach ($root['paths'] ?? [] as $path => $opts) {
            if (!is_array($opts)) { $errors[] = "paths.$path is not a map"; continue; }
            if (@preg_match('{' . $path . '}i', '') === false) { $errors[] = "paths.$path does not compile"; }
            if (!str_starts_with((string)$path, '^/')) { $errors[] = "paths.$path is not anchored with ^/"; }
            check_options($opts, "paths.$path", $types, $errors);
            foreach ($required as $key) {
                if (!array_key_exists($key, $opts)) { $errors[] = "paths.$path: $key missing (it would come from defaults)"; }
            }
        }
    }
}

if (($argv[2] ?? '') !== 'eval') {
    if ($errors) { fwrite(STDERR, implode("\n", $errors) . "\n"); exit(1); }
    echo "ok\n", json_encode($config, JSON_UNESCAPED_SLASHES), "\n";
    exit(0);
}

// ---- eval: the bundle's answers (a model, see the top of the file) ----
$bundleDefaults = [
    'allow_origin' => [], 'allow_credentials' => false, 'allow_headers' => [], 'allow_private_network' => false,
    'expose_headers' => [], 'allow_methods' => [], 'max_age' => 0, 'hosts' => [], 'origin_regex' => false,
    'skip_same_as_origin' => true,
];
function normalise(array $o): array {
    if (isset($o['allow_origin']) && is_array($o['allow_origin']) && in_array('*', $o['allow_origin'])) { $o['allow_origin'] = true; }
    if (isset($o['allow_headers']) && is_array($o['allow_headers'])) {
        $o['allow_headers'] = in_array('*', $o['allow_headers']) ? true : array_map('strtolower', $o['allow_headers']);
    }
    if (isset($o['allow_methods'])) { $o['allow_methods'] = array_map('strtoupper', $o['allow_methods']); }
    return $o;
}
$root = $config['nelmio_cors'];
// Extension: defaults over the bundle's; each path loses its empty/false/0 values (array_filter).
$defaults = normalise(array_merge($bundleDefaults, $root['defaults'] ?? []));
$paths = [];
foreach ($root['paths'] ?? [] as $p => $opts) { $paths[$p] = normalise(array_filter($opts)); }

function options_for(string $uri, string $host, array $paths, array $defaults): array {
    foreach ($paths as $re => $opts) {           // ConfigProvider: first match in order
        if (preg_match('{' . $re . '}i', $uri)) {
            $o = array_merge($defaults, $opts);
            if (count($o['hosts']) > 0) {
                foreach ($o['hosts'] as $h) { if (preg_match('{' . $h . '}i', $host)) { return $o; } }
                continue;
            }
            return $o;
        }
    }
    return $defaults;
}
function origin_ok(string $origin, array $o): bool {
    if ($o['allow_origin'] === true) { return true; }
    if ($o['origin_regex'] === true) {
        foreach ($o['allow_origin'] as $re) { if (preg_match('{' . $re . '}i', $origin)) { return true; } }
        return false;
    }
    return in_array($origin, $o['allow_origin'], true);
}

$answers = [];
foreach (json_decode(stream_get_contents(STDIN), true) as $req) {
    $h = array_change_key_case($req['headers'] ?? [], CASE_LOWER);
    $o = options_for($req['path'], $req['host'] ?? 'api.example.com', $paths, $defaults);
    $out = ['answered_by_bundle' => false, 'status' => 200, 'headers' => new stdClass(), 'rule' => null];
    foreach ($paths as $re => $_) { if (preg_match('{' . $re . '}i', $req['path'])) { $out['rule'] = $re; break; } }
    $hdr = [];
    $origin = $h['origin'] ?? null;
    $sameOrigin = $origin !== null && $o['skip_same_as_origin'] && $origin === ($req['scheme_host'] ?? 'https://api.example.com');
    if ($origin !== null && !$sameOrigin) {
        if ($req['method'] === 'OPTIONS' && (isset($h['access-control-request-method']) || isset($h['access-control-request-private-network']))) {
            $out['answered_by_bundle'] = true;
            $hdr['vary'] = 'Origin';
            if ($o['allow_credentials']) { $hdr['access-control-allow-credentials'] = 'true'; }
            if ($o['allow_methods']) { $hdr['access-control-allow-methods'] = implode(', ', $o['allow_methods']); }
            if ($o['allow_headers']) {
                $v = $o['allow_headers'] === true ? ($h['access-control-request-headers'] ?? '') : implode(', ', $o['allow_headers']);
                if ($v) { $hdr['access-control-allow-headers'] = $v; }
            }
            if ($o['max_age']) { $hdr['access-control-max-age'] = (string)$o['max_age']; }
            if (origin_ok($origin, $o)) {
                $hdr['access-control-allow-origin'] = $origin;
                $method = strtoupper((string)$h['access-control-request-method']);
                if (!in_array($method, $o['allow_methods'], true)) {
                    $out['status'] = 405;
                } elseif (isset($h['access-control-request-headers']) && $o['allow_headers'] !== true) {
                    foreach (preg_split('{, *}', strtolower(trim($h['access-control-request-headers']))) as $name) {
                        if (in_array($name, ['accept', 'accept-language', 'content-language', 'origin'], true)) { continue; }
                        if (!in_array($name, $o['allow_headers'], true)) { $out['status'] = 400; break; }
                    }
                }
            }
        } elseif (origin_ok($origin, $o)) {
            $hdr['access-control-allow-origin'] = $origin;
            if ($o['allow_credentials']) { $hdr['access-control-allow-credentials'] = 'true'; }
            if ($o['expose_headers']) { $hdr['access-control-expose-headers'] = strtolower(implode(', ', $o['expose_headers'])); }
        }
    }
    $out['headers'] = (object)$hdr;
    $answers[] = $out;
}
echo json_encode($answers, JSON_UNESCAPED_SLASHES), "\n";
