/**
 * deck.gl's HeatmapLayer, fit for a GPU time filter (DataFilterExtension) over binary points.
 * An extension given to a composite layer is merged into every shader it owns and passed
 * to its sublayers, but only the pass that reads the points has their filter values:
 * - HeatmapLayer draws the points' weights into a texture (filter wanted here, but the layer
 *   never hands that pass the filter's uniforms: set here before each weight pass), then takes
 *   the texture's maximum and draws one screen quad (a sublayer): neither reads the points, so
 *   with the filter on they were culled (no filter value, so 0, outside the window) and the
 *   heatmap vanished during playback. They get no extensions here.
 * The category filter's bit mask is likewise computed by the extension only in a primitive
 * layer's draw, which a composite layer never runs: it is built here from filterCategories, the
 * way the analyst's extension builds it (values are their own keys: point-selection.ts).
 */
import { _mergeShaders as mergeShaders, project32 } from '@deck.gl/core'
import { HeatmapLayer } from '@deck.gl/aggregation-layers'
import { categoryBitMaskOf } from '../point-selection.ts'

type Shaders = Parameters<HeatmapLayer['getShaders']>[0]
type SubLayerProps = Parameters<HeatmapLayer['getSubLayerProps']>[0]

interface FilterProps {
  extensions: unknown[]
  filterEnabled: boolean
  filterRange: [number, number]
  filterCategories?: number[][]
}

export class TimedHeatmapLayer extends HeatmapLayer {
  static override layerName = 'TimedHeatmapLayer'

  override getShaders(shaders: Shaders) {
    const isMaxPass = (shaders.modules as { name?: string }[] | undefined)?.some((module) => module.name === 'maxWeight')
    if (!isMaxPass) return super.getShaders(shaders)
    return mergeShaders({ ...shaders, modules: [project32, ...(shaders.modules ?? [])] }, { disableWarnings: true, modules: this.context.defaultShaderModules })
  }

  override getSubLayerProps(sublayerProps?: SubLayerProps) {
    return { ...super.getSubLayerProps(sublayerProps), extensions: [] }
  }

  /** The weight pass, with the filter's uniforms (HeatmapLayer sets only its own). */
  override _updateWeightmap() {
    const { extensions, filterEnabled, filterRange, filterCategories } = this.props as unknown as FilterProps
    const transform = (this.state as { weightsTransform?: { model: { shaderInputs: { setProps(props: object): void } } } }).weightsTransform
    const categoryBitMask = filterCategories ? categoryBitMaskOf(filterCategories) : undefined
    if (extensions.length) transform?.model.shaderInputs.setProps({ dataFilter: { extensions, filterEnabled, filterRange, categoryBitMask } })
    super._updateWeightmap()
  }
}
