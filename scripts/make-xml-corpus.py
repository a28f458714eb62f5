#!/usr/bin/env python3
"""Writes Tests/Fixtures/xml-corpus/: the documents on which dasaudit's XML reader and
libxml2 must agree (Tests/PolicyTests/XMLDifferentialTests.swift).

well-formed/: the stock DAS 3.2.0 files of Tests/Fixtures as an operator saves them again
(CRLF line ends, a UTF-8 byte order mark, UTF-16 in both byte orders, declared ISO-8859-1)
and a carbon.xml written by hand with everything XML lets an operator write: comments,
CDATA, attributes in both quote styles, the five entities, character references, namespace
prefixes, processing instructions, white space inside tags, empty elements.
malformed/: documents each broken in one way; libxml2 and dasaudit must both refuse them.

    scripts/make-xml-corpus.py     (run from anywhere; rewrites the folder)
"""
import pathlib
import shutil

root = pathlib.Path(__file__).resolve().parent.parent
fixtures = root / "Tests/Fixtures"
corpus = fixtures / "xml-corpus"
shutil.rmtree(corpus, ignore_errors=True)
(corpus / "well-formed").mkdir(parents=True)
(corpus / "malformed").mkdir()

carbon = (fixtures / "das-3.2.0-cluster-local/repository/conf/carbon.xml").read_text("utf-8")
event_processor = (fixtures / "das-stock-conf/event-processor-3.2.0.xml").read_text("utf-8")
catalina = (fixtures / "das-3.2.0-cluster-local/repository/conf/tomcat/catalina-server.xml").read_text("utf-8")


def well_formed(name, data):
    (corpus / "well-formed" / name).write_bytes(data)


def malformed(name, text):
    (corpus / "malformed" / name).write_bytes(text.encode("utf-8") if isinstance(text, str) else text)


def declared(text, encoding):
    """`text` with its XML declaration naming `encoding` (one added if it has none)."""
    if text.startswith("<?xml"):
        end = text.index("?>") + 2
        return f'<?xml version="1.0" encoding="{encoding}"?>' + text[end:]
    return f'<?xml version="1.0" encoding="{encoding}"?>\n' + text


well_formed("carbon-crlf.xml", carbon.replace("\n", "\r\n").encode("utf-8"))
well_formed("catalina-server-bom.xml", b"\xef\xbb\xbf" + catalina.encode("utf-8"))
well_formed("event-processor-utf16le.xml", b"\xff\xfe" + declared(event_processor, "UTF-16").encode("utf-16-le"))
well_formed("event-processor-utf16be-crlf.xml",
            b"\xfe\xff" + declared(event_processor, "UTF-16").replace("\n", "\r\n").encode("utf-16-be"))
well_formed("carbon-latin1.xml",
            declared(carbon.replace("<Server", "<!-- édité par l'opérateur -->\n<Server", 1), "ISO-8859-1").encode("latin-1"))

well_formed("carbon-by-hand.xml", """<?xml version='1.0' encoding='UTF-8' standalone="yes" ?>
<!-- carbon.xml as an operator edits it: both quote styles, entities, CDATA, prefixes -->
<?xml-stylesheet type="text/xsl" href="carbon.xsl"?>
<Server xmlns="http://wso2.org/projects/carbon/carbon.xml"
        xmlns:svns="http://org.wso2.securevault/configuration"
        xmlns:xsi = 'http://www.w3.org/2001/XMLSchema-instance'>
    <Name>WSO2 Data Analytics Server &amp; friends</Name>
    <ServerKey>DAS</ServerKey>
    <HostName >das1.example.com</HostName >
    <Ports>
        <!-- Ports offset. This entry will set the value of the ports defined below to
         the define value + Offset. -->
        <Offset><![CDATA[2]]></Offset>
        <JMX>
            <RMIRegistryPort>&#57;&#x39;99</RMIRegistryPort>
            <RMIServerPort>11111</RMIServerPort>
        </JMX>
        <EmbeddedLDAP><LDAPServerPort>10389</LDAPServerPort></EmbeddedLDAP>
        <ThriftEntitlementReceivePort/>
        <Empty></Empty>
    </Ports>
    <svns:SecretRepository svns:secretProvider='org.wso2.securevault.secret.handler.SecretManagerSecretCallbackHandler'
                           xsi:type="x" note="tab&#9;and&#10;newline kept,	tab and
newline made spaces"/>
    <Quotes single='say "hi"' double="it's &quot;quoted&quot; &apos;here&apos;" angle="&lt;a&gt; > b"/>
    <Text>before<?pi data?>after<!-- gone -->end ]] ] > &#x1F600; caf\u00e9 \u4e2d\u6587</Text>
    <Mixed>one<b>two</b>three<![CDATA[<not-an-element> & ]]]]><![CDATA[>]]>four</Mixed>
    <Spaces   a = "1"
              b= '2' />
    <\u00e9l\u00e8ve \u00e2ge="12">unicode names</\u00e9l\u00e8ve>
    <under_score.dot-dash>ok</under_score.dot-dash>
</Server>
<!-- after the root -->
<?after root?>
""".encode("utf-8"))

for name, text in {
    "unclosed-element.xml": "<Server><Ports><Offset>1</Offset></Ports>",
    "mismatched-end-tag.xml": "<Server><Ports></Offset></Server>",
    "duplicate-attribute.xml": '<Server><Connector port="1" port="2"/></Server>',
    "unquoted-attribute.xml": "<Server><Connector port=9443/></Server>",
    "attribute-without-value.xml": "<Server><Connector SSLEnabled/></Server>",
    "less-than-in-attribute.xml": '<Server><Connector port="<9443"/></Server>',
    "attributes-without-space.xml": '<Server><Connector port="1"scheme="http"/></Server>',
    "undefined-entity.xml": "<Server><Name>WSO2&nbsp;DAS</Name></Server>",
    "bare-ampersand.xml": "<Server><Name>A & B</Name></Server>",
    "entity-without-semicolon.xml": "<Server><Name>A &amp B</Name></Server>",
    "cdata-end-in-text.xml": "<Server><Name>a ]]> b</Name></Server>",
    "double-dash-in-comment.xml": "<Server><!-- a -- b --></Server>",
    "comment-ending-in-three-dashes.xml": "<Server><!-- a ---></Server>",
    "unterminated-comment.xml": "<Server><!-- a </Server>",
    "unterminated-cdata.xml": "<Server><![CDATA[ a </Server>",
    "unterminated-processing-instruction.xml": "<Server><?pi a </Server>",
    "two-roots.xml": "<Server/><Server/>",
    "text-after-root.xml": "<Server/>text",
    "text-before-root.xml": "text<Server/>",
    "no-root.xml": "<!-- only a comment -->",
    "empty.xml": "",
    "declaration-not-first.xml": ' <?xml version="1.0"?><Server/>',
    "declaration-in-content.xml": '<Server><?xml version="1.0"?></Server>',
    "declaration-without-version.xml": '<?xml encoding="UTF-8"?><Server/>',
    "declaration-version-2.xml": '<?xml version="2.0"?><Server/>',
    "declaration-unclosed.xml": '<?xml version="1.0" <Server/>',
    "character-reference-zero.xml": "<Server>&#0;</Server>",
    "character-reference-surrogate.xml": "<Server>&#xD800;</Server>",
    "character-reference-too-big.xml": "<Server>&#x110000;</Server>",
    "character-reference-not-hex.xml": "<Server>&#xG;</Server>",
    "control-character.xml": "<Server>\x01</Server>",
    "name-starting-with-digit.xml": "<Server><1Port/></Server>",
    "name-starting-with-dash.xml": "<Server><-Port/></Server>",
    "end-tag-with-attribute.xml": '<Server></Server a="1">',
    "less-than-alone.xml": "<Server>a < b</Server>",
    "bang-markup-in-content.xml": "<Server><!ELEMENT a ANY></Server>",
    "cut-inside-start-tag.xml": '<Server><Connector port="1"',
    "cut-inside-attribute-value.xml": '<Server><Connector port="1',
    "stray-end-tag.xml": "</Server>",
    "latin1-undeclared.xml": "<Server><!-- caf\xe9 --></Server>".encode("latin-1"),
    "noncharacter-ffff.xml": "<Server>\uffff</Server>",
}.items():
    malformed(name, text)
print(f"wrote {len(list((corpus / 'well-formed').iterdir()))} well-formed and "
      f"{len(list((corpus / 'malformed').iterdir()))} malformed documents into {corpus.relative_to(root)}")
