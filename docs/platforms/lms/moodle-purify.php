<?php
// What Moodle's cleaning keeps of a Juggle embed: runs HTML from standard input through HTML Purifier
// (the library Moodle bundles in lib/htmlpurifier) with the settings Moodle's purify_html() in
// lib/weblib.php sets (its defaults: no "allowobjectembed", no "allowid"). Moodle cleans text this way
// unless the text is shown with `noclean` (a Page resource's content, mod/page/view.php) or was saved as
// trusted content (Site administration > Security > "Enable trusted content", off by default, and the
// author's moodle/site:trustcontent); "Content cleaning everywhere" ($CFG->forceclean) cleans those too.
// Moodle also registers a few elements of its own (nolink, tex, algebra, lang, video, audio, source,
// track, ruby); none of them changes what happens to iframe or script, so they are left out here.
//
//   php -d include_path=/path/to/htmlpurifier/library docs/platforms/lms/moodle-purify.php < snippet.html
//
// HTML Purifier's library folder from its source (4.18.0 was used): Debian 12's php-htmlpurifier (4.11)
// does not run on Debian 12's PHP 8.2 (a fatal "curly braces" offset error in TagTransform/Font.php).
require_once 'HTMLPurifier.auto.php';

$config = HTMLPurifier_Config::createDefault();
$config->set('Cache.DefinitionImpl', null);
$config->set('Core.NormalizeNewlines', false);
$config->set('Core.ConvertDocumentToFragment', true);
$config->set('Core.Encoding', 'UTF-8');
$config->set('HTML.Doctype', 'XHTML 1.0 Transitional');
$config->set('URI.AllowedSchemes', [
    'http' => true, 'https' => true, 'ftp' => true, 'irc' => true, 'nntp' => true, 'news' => true,
    'rtsp' => true, 'rtmp' => true, 'teamspeak' => true, 'gopher' => true, 'mms' => true, 'mailto' => true,
]);
$config->set('Attr.AllowedFrameTargets', ['_blank']);

$purifier = new HTMLPurifier($config);
echo $purifier->purify(stream_get_contents(STDIN)), "\n";
echo '<!-- HTML Purifier ', HTMLPurifier::VERSION, " -->\n";
