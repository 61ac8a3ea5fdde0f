// The XML and YAML readers to install with useDocumentReaders (see documentReaders.ts).
import type { DocumentReaders } from './documentReaders';
import { pgXmlValue } from './pgXml';
import { pgYamlValue } from './pgYaml';

export const pgDocumentReaders: DocumentReaders = { xml: pgXmlValue, yaml: pgYamlValue };
