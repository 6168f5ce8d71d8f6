/** The client bundle's entry: reads the page's data block and starts the scenario page, the comparison or the analyses. */
import { startAnalysisPage } from './analysis-page'
import { startComparePage } from './compare-page'
import { startEditorPage } from './editor-page'
import { startSharePage } from './share-page'
import type { PageData } from './page-data'

const block = document.getElementById('page-data')
if (block?.textContent) {
  const data = JSON.parse(block.textContent) as PageData
  if (data.page === 'editor') startEditorPage(data)
  else if (data.page === 'compare') startComparePage(data)
  else if (data.page === 'share') startSharePage(data)
  else startAnalysisPage(data)
}
